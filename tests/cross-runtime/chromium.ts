// Debian's Chromium, headless, as the tests launch it (playwright-core drives it). The
// networking flags stop it from reaching for Google's services on this closed network.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
