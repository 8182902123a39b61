-- Removes nodes from users of a room; announces every user that no node has any more.
-- KEYS: 1 room presence hash
-- ARGV: 1 node id, 2 channel, 3 room id, 4.. user ids (none: every user of that node, for a node that died)
local users = {}
if #ARGV > 3 then
  for i = 4, #ARGV do
    users[#users + 1] = ARGV[i]
  end
else
  users = redis.call('HKEYS', KEYS[1])
end
local gone = 0
for _, userId in ipairs(users) do
  local raw = redis.call('HGET', KEYS[1], userId)
  if raw then
    local entry = cjson.decode(raw)
    if entry.n[ARGV[1]] then
      entry.n[ARGV[1]] = nil
      if next(entry.n) == nil then
        redis.call('HDEL', KEYS[1], userId)
        local online = redis.call('HLEN', KEYS[1])
        redis.call('SPUBLISH', ARGV[2], 'presence_left\n{"type":"presence_left","room":"' .. ARGV[3] .. '","user":' .. entry.u
            .. ',"online":' .. online .. '}')
        gone = gone + 1
      else
        redis.call('HSET', KEYS[1], userId, cjson.encode(entry))
      end
    end
  end
end
return gone
