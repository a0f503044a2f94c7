export { type AiSdkBotSettings, createAiSdkBot } from './ai-sdk-bot.js';
export { type AiSdkSummarizerSettings, createAiSdkSummarizer } from './ai-sdk-summarizer.js';
export {
  defaultHandoffToolName,
  type HandoffTeam,
  type HandoffToolInput,
  type HandoffToolOutput,
  type HandoffToolSettings,
  handoffTool,
} from './handoff-tool.js';
export { type PromiseCheckSettings, promisesHuman } from './promise-check.js';
export type { ToolSkillSettings } from './tool-skills.js';
