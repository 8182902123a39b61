-- A user's command budget, shared by every node: a token bucket that hands out slices.
-- KEYS[1] the user's budget hash (tokens, ms)
-- ARGV[1] refill rate in commands per second, ARGV[2] burst, ARGV[3] how many the node wants
-- Returns how many were granted (0 when the budget is used up). Time is Redis's own clock, the same for every node.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ms')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
if now > last then
  tokens = math.min(burst, tokens + (now - last) * rate / 1000)
end
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ms', tostring(math.max(now, last)))
-- Full again after burst / rate: nothing to keep beyond that.
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return granted
