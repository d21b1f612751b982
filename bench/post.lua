-- wrk script: POST a small chat completion, print exact latency percentiles at the end.
--   wrk -t1 -c50 -d10s -s bench/post.lua http://127.0.0.1:9100/v1/chat/completions
-- BENCH_MODEL names the model (default "chat"); BENCH_KEY is sent as the bearer token.
-- stream.lua sets bench_stream = true before loading this file.

local model = os.getenv("BENCH_MODEL") or "chat"
local key = os.getenv("BENCH_KEY") or "sk-bench"
local stream = bench_stream and "true" or "false"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = '{"model":"' .. model .. '","stream":' .. stream .. ','
  .. '"messages":[{"role":"system","content":"You are a terse assistant."},'
  .. '{"role":"user","content":"Say something short about foxes and dogs."}],'
  .. '"max_tokens":32,"temperature":0}'

-- BENCH_UNIQUE=1: every request asks a question of its own (cache misses).
if os.getenv("BENCH_UNIQUE") == "1" then
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  local salt = math.random(1, 1000000000)
  local n = 0
  request = function()
    n = n + 1
    local body = '{"model":"' .. model .. '","stream":' .. stream .. ','
      .. '"messages":[{"role":"system","content":"You are a terse assistant."},'
      .. '{"role":"user","content":"Say something short about fox number '
      .. salt .. '-' .. n .. '."}],"max_tokens":32,"temperature":0}'
    return wrk.format(nil, nil, nil, body)
  end
end

-- One machine-readable line; latencies in microseconds, from wrk's own per-request
-- histogram (1 us resolution), so these are the percentiles of every request sent.
function done(summary, latency, requests)
  local e = summary.errors
  local p = {}
  for _, q in ipairs({50, 90, 99, 99.9}) do
    p[#p + 1] = string.format('"%s":%d', tostring(q), latency:percentile(q))
  end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"min":%d,"mean":%.1f,"max":%d,%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, table.concat(p, ",")))
end
