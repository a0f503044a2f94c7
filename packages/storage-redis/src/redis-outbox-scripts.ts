// The Lua scripts of the Redis sessions and outbox.
/**
 * The Lua scripts behind the Redis storage. Each runs atomically in Redis, so a session write and
 * the deliveries it implies land together, and claims, completions and lane heads never race
 * between instances.
 *
 * Keys, under the prefix P (every script takes P as ARGV[1] and builds its keys from it):
 * - `P:s:<session key>`   hash  v (version), d (session JSON)
 * - `P:conv`              hash  conversation id → session key
 * - `P:convof`            hash  session key → conversation id
 * - `P:o:i:<item id>`     hash  the item: lane, kind, payload, attempts, claims, available, created,
 *                         error, owner, until (claim), state (pending | parked), reason, parked
 * - `P:o:l:<lane>`        list  ids of the lane's pending items, head first
 * - `P:o:heads`           zset  lane → when its head can next be claimed (due time or claim end)
 * - `P:o:claimed`         zset  item id → claim end (items in flight)
 * - `P:o:timers`          zset  item id → due time, for items enqueued for later and not yet claimed
 * - `P:o:count`           number of pending items (in flight included)
 * - `P:o:parked`          zset  item id → when it was parked
 * - `P:o:done`            zset  delivered item id → when (remembered so enqueueing it again is a no-op)
 *
 * Scripts never read keys they were not told of through the prefix, which is why the storage
 * needs one Redis primary (standalone or Sentinel), not Redis Cluster.
 */

/** Shared Lua: appending items to their lanes (used by `enqueue` and `compareAndSet`). */
const enqueueFunction = `
local function enqueue(prefix, items, now)
  for _, item in ipairs(items) do
    local key = prefix .. ':o:i:' .. item.id
    if redis.call('EXISTS', key) == 0 and not redis.call('ZSCORE', prefix .. ':o:done', item.id) then
      local available = item.availableAt or now
      redis.call('HSET', key, 'id', item.id, 'lane', item.lane, 'kind', item.kind, 'payload', item.payload,
        'attempts', 0, 'claims', 0, 'available', available, 'created', now, 'state', 'pending')
      local lane = prefix .. ':o:l:' .. item.lane
      if redis.call('RPUSH', lane, item.id) == 1 then
        redis.call('ZADD', prefix .. ':o:heads', available, item.lane)
      end
      redis.call('INCR', prefix .. ':o:count')
      if available > now then redis.call('ZADD', prefix .. ':o:timers', available, item.id) end
    end
  end
end
`;

/** Shared Lua: claiming a lane head for an owner, returning the item as a JSON-able table. */
const claimFunction = `
local function claimItem(prefix, id, owner, now, leaseMs)
  local key = prefix .. ':o:i:' .. id
  local claimEnd = now + leaseMs
  local claims = redis.call('HINCRBY', key, 'claims', 1)
  redis.call('HSET', key, 'owner', owner, 'until', claimEnd)
  local fields = redis.call('HMGET', key, 'lane', 'kind', 'payload', 'attempts', 'available', 'created', 'error')
  redis.call('ZADD', prefix .. ':o:heads', claimEnd, fields[1])
  redis.call('ZADD', prefix .. ':o:claimed', claimEnd, id)
  redis.call('ZREM', prefix .. ':o:timers', id)
  return { id = id, lane = fields[1], kind = fields[2], payload = fields[3], attempts = tonumber(fields[4]),
    claims = claims, availableAt = tonumber(fields[5]), createdAt = tonumber(fields[6]), lastError = fields[7] }
end

-- The lane's head if it can be claimed now: due, and not held by a live claim.
local function claimableHead(prefix, lane, now)
  local id = redis.call('LINDEX', prefix .. ':o:l:' .. lane, 0)
  if not id then return nil end
  local fields = redis.call('HMGET', prefix .. ':o:i:' .. id, 'available', 'until')
  if tonumber(fields[1]) > now then return nil end
  if fields[2] and tonumber(fields[2]) > now then return nil end
  return id
end

-- After the head left its lane: the next item heads it (when it becomes due), or the lane is gone.
local function advance(prefix, lane)
  local id = redis.call('LINDEX', prefix .. ':o:l:' .. lane, 0)
  if not id then
    redis.call('ZREM', prefix .. ':o:heads', lane)
    return
  end
  local fields = redis.call('HMGET', prefix .. ':o:i:' .. id, 'available', 'until')
  local due = tonumber(fields[1])
  if fields[2] and tonumber(fields[2]) > due then due = tonumber(fields[2]) end
  redis.call('ZADD', prefix .. ':o:heads', due, lane)
end

-- The item if 'owner' holds its claim, else nil.
local function owned(prefix, id, owner)
  local key = prefix .. ':o:i:' .. id
  local fields = redis.call('HMGET', key, 'owner', 'state', 'lane')
  if fields[1] ~= owner or fields[2] ~= 'pending' then return nil end
  return { key = key, lane = fields[3] }
end
`;

/** ARGV: prefix, now, items JSON. */
export const enqueueScript = `${enqueueFunction}
enqueue(ARGV[1], cjson.decode(ARGV[3]), tonumber(ARGV[2]))
return 1
`;

/**
 * ARGV: prefix, session key, expected version ('' for none), session JSON, conversation id ('' for
 * none), now, items JSON. Returns 1 when written, 0 when the version moved on.
 */
export const compareAndSetScript = `${enqueueFunction}
local prefix, sessionKey, expected = ARGV[1], ARGV[2], ARGV[3]
local key = prefix .. ':s:' .. sessionKey
local version = redis.call('HGET', key, 'v')
if expected == '' then
  if version then return 0 end
elseif version ~= expected then
  return 0
end
redis.call('HSET', key, 'v', (tonumber(version) or 0) + 1, 'd', ARGV[4])
local conversation = ARGV[5]
local previous = redis.call('HGET', prefix .. ':convof', sessionKey)
if previous and previous ~= conversation and redis.call('HGET', prefix .. ':conv', previous) == sessionKey then
  redis.call('HDEL', prefix .. ':conv', previous)
end
if conversation == '' then
  redis.call('HDEL', prefix .. ':convof', sessionKey)
else
  redis.call('HSET', prefix .. ':conv', conversation, sessionKey)
  redis.call('HSET', prefix .. ':convof', sessionKey, conversation)
end
enqueue(prefix, cjson.decode(ARGV[7]), tonumber(ARGV[6]))
return 1
`;

/** ARGV: prefix, now, limit, lease ms, owner. Returns the claimed items as JSON. */
export const claimScript = `${claimFunction}
local prefix, now, limit, leaseMs, owner = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local claimed = {}
local lanes = redis.call('ZRANGEBYSCORE', prefix .. ':o:heads', '-inf', now, 'LIMIT', 0, limit)
for _, lane in ipairs(lanes) do
  local id = claimableHead(prefix, lane, now)
  if id then
    table.insert(claimed, claimItem(prefix, id, owner, now, leaseMs))
  else
    advance(prefix, lane)
  end
end
if #claimed == 0 then return '[]' end
return cjson.encode(claimed)
`;

/**
 * ARGV: prefix, id, owner, now, claim next ('1' or '0'), lease ms. Returns the next item of the
 * lane claimed for the owner as JSON, or ''.
 */
export const completeScript = `${claimFunction}
local prefix, id, owner, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local item = owned(prefix, id, owner)
if not item then return '' end
redis.call('LREM', prefix .. ':o:l:' .. item.lane, 1, id)
redis.call('DEL', item.key)
redis.call('ZREM', prefix .. ':o:claimed', id)
redis.call('ZREM', prefix .. ':o:timers', id)
redis.call('DECR', prefix .. ':o:count')
redis.call('ZADD', prefix .. ':o:done', now, id)
advance(prefix, item.lane)
if ARGV[5] ~= '1' then return '' end
local nextId = claimableHead(prefix, item.lane, now)
if not nextId then return '' end
return cjson.encode(claimItem(prefix, nextId, owner, now, tonumber(ARGV[6])))
`;

/** ARGV: prefix, id, owner, claimEnd. Returns 1 when renewed. */
export const extendScript = `${claimFunction}
local prefix, id, owner, claimEnd = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local item = owned(prefix, id, owner)
if not item then return 0 end
redis.call('HSET', item.key, 'until', claimEnd)
redis.call('ZADD', prefix .. ':o:claimed', claimEnd, id)
if redis.call('LINDEX', prefix .. ':o:l:' .. item.lane, 0) == id then
  redis.call('ZADD', prefix .. ':o:heads', claimEnd, item.lane)
end
return 1
`;

/** ARGV: prefix, id, owner, available at, error. */
export const retryScript = `${claimFunction}
local prefix, id, owner = ARGV[1], ARGV[2], ARGV[3]
local item = owned(prefix, id, owner)
if not item then return 0 end
redis.call('HINCRBY', item.key, 'attempts', 1)
redis.call('HSET', item.key, 'available', ARGV[4], 'error', ARGV[5])
redis.call('HDEL', item.key, 'owner', 'until')
redis.call('ZREM', prefix .. ':o:claimed', id)
advance(prefix, item.lane)
return 1
`;

/** ARGV: prefix, id, owner, reason, now. */
export const parkScript = `${claimFunction}
local prefix, id, owner, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[5])
local item = owned(prefix, id, owner)
if not item then return 0 end
redis.call('HINCRBY', item.key, 'attempts', 1)
redis.call('HSET', item.key, 'state', 'parked', 'reason', ARGV[4], 'parked', now)
redis.call('HDEL', item.key, 'owner', 'until')
redis.call('ZREM', prefix .. ':o:claimed', id)
redis.call('ZREM', prefix .. ':o:timers', id)
redis.call('LREM', prefix .. ':o:l:' .. item.lane, 1, id)
redis.call('DECR', prefix .. ':o:count')
redis.call('ZADD', prefix .. ':o:parked', now, id)
advance(prefix, item.lane)
return 1
`;

/** ARGV: prefix, id, now. Returns 1 when a parked item was put back at the end of its lane. */
export const requeueScript = `
local prefix, id, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local key = prefix .. ':o:i:' .. id
local fields = redis.call('HMGET', key, 'state', 'lane')
if fields[1] ~= 'parked' then return 0 end
redis.call('HSET', key, 'state', 'pending', 'attempts', 0, 'available', now)
redis.call('HDEL', key, 'reason', 'parked')
redis.call('ZREM', prefix .. ':o:parked', id)
redis.call('INCR', prefix .. ':o:count')
if redis.call('RPUSH', prefix .. ':o:l:' .. fields[2], id) == 1 then
  redis.call('ZADD', prefix .. ':o:heads', now, fields[2])
end
return 1
`;
