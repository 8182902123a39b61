-- Records that a node has a user in a room; announces the user when no node had it before.
-- KEYS: 1 room presence hash (user id -> {"u": user JSON, "n": {node id: 1}})
-- ARGV: 1 user id, 2 node id, 3 user JSON, 4 channel, 5 room id
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local entry
if raw then
  entry = cjson.decode(raw)
else
  entry = {u = ARGV[3], n = {}}
end
local wasPresent = next(entry.n) ~= nil
entry.n[ARGV[2]] = 1
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
if not wasPresent then
  local online = redis.call('HLEN', KEYS[1])
  redis.call('SPUBLISH', ARGV[4], 'presence_joined\n{"type":"presence_joined","room":"' .. ARGV[5] .. '","user":' .. entry.u
      .. ',"online":' .. online .. '}')
  return 1
end
return 0
