// Entry of build/bench-peak-*.wasm (benchmarks only).
export * from './peak';
