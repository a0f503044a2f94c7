import { createInMemoryStores } from '@handoff/core';
import { describeHandoffStores } from '../src/stores/describe-handoff-stores.js';

describeHandoffStores({ name: 'in-memory stores (@handoff/core)', create: () => createInMemoryStores() });
