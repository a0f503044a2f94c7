export { createDemoBot, demoSkills } from './bots/demo-bot.js';
export { callbackHeaders } from './channels/callback-client.js';
export { demoConfig } from './config/demo-config.js';
export { environmentOverrides, type LoadedConfig, loadRuntimeConfig } from './config/load-config.js';
export { type RuntimeConfig, type RuntimeConfigInput, runtimeConfigSchema } from './config/runtime-config.js';
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
