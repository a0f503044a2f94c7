import { defineHandoffProject } from '../../vitest.shared.js';

export default defineHandoffProject('rocketchat');
