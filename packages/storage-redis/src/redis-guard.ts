// What every Redis store runs its calls under: StorageUnavailableError while Redis is away.

/** Runs a call against Redis; throws a StorageUnavailableError when Redis cannot take it now. */
export type RedisGuard = <Result>(work: () => Promise<Result>) => Promise<Result>;
