import { createInMemoryStorage } from '@handoff/core';
import { describeHandoffStorage } from './describe-handoff-storage.js';

describeHandoffStorage({ name: 'in-memory storage (@handoff/core)', create: () => createInMemoryStorage() });
