// What worker.ts imports through workerd's module config (see workerd.ts).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*/workerd-packs.js' {
  const packs: Record<string, ArrayBuffer>;
  export default packs;
}
