import type { SpecException } from '@handoff/conformance';

/**
 * Where Intercom's official API 2.14 document and the way the adapter must call it differ, one
 * line each. A request problem is excused only when method, path template and field all match.
 */

export const intercomSpecExceptions: readonly SpecException[] = [];
