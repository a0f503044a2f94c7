// The kit's own tests run the reference adapter exactly as the example config describes it.
export { default as memoryTarget } from '../examples/memory.config.mjs';
