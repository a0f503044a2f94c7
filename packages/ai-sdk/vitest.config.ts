import { defineHandoffProject } from '../../vitest.shared.js';

export default defineHandoffProject('ai-sdk');
