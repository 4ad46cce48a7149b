/**
 * The two membership changes that must be atomic across processes, as Lua scripts (Redis runs each one alone, so two
 * processes cannot both fill the second seat). A room is one hash: participant id -> JSON seat record. Seats whose
 * process no longer holds its lease key (it crashed) are deleted on the next join, so they never block a room.
 *
 * The lease keys are built inside the script from a prefix, not declared as KEYS: fine on a standalone Redis or one
 * behind Sentinel, not on Redis Cluster (documented).
 */

/**
 * KEYS[1] room hash. ARGV: participant id, seat JSON, bound ('1'|'0'), capacity, lease key prefix, room TTL (ms).
 * Returns {'full'} | {'taken'} | {'ok', replaced seat JSON or '', vanished ids joined by '\n', id, seat, id, seat...}.
 */
export const JOIN_SCRIPT = `
local seats = redis.call('HGETALL', KEYS[1])
local others, vanished, replaced = {}, {}, ''
for i = 1, #seats, 2 do
  local id, raw = seats[i], seats[i + 1]
  local ok, seat = pcall(cjson.decode, raw)
  if not ok or type(seat) ~= 'table' or redis.call('EXISTS', ARGV[5] .. tostring(seat.node)) == 0 then
    redis.call('HDEL', KEYS[1], id)
    if id ~= ARGV[1] then vanished[#vanished + 1] = id end
  elseif id == ARGV[1] then
    replaced = raw
    if seat.b == 1 and ARGV[3] ~= '1' then return {'taken'} end
  else
    others[#others + 1] = id
    others[#others + 1] = raw
  end
end
if replaced == '' and #others / 2 >= tonumber(ARGV[4]) then return {'full'} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
local reply = {'ok', replaced, table.concat(vanished, '\\n')}
for _, item in ipairs(others) do reply[#reply + 1] = item end
return reply
`;

/**
 * KEYS[1] room hash. ARGV: participant id, node, conn. Deletes the seat only if this socket still holds it (a newer
 * connection of the same participant may have taken it over). Returns the remaining {id, seat, ...}, or {} if the seat
 * was not ours.
 */
export const LEAVE_SCRIPT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {} end
local ok, seat = pcall(cjson.decode, raw)
if ok and type(seat) == 'table' and (tostring(seat.node) ~= ARGV[2] or tostring(seat.c) ~= ARGV[3]) then return {} end
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
`;
