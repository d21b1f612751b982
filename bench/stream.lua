-- wrk script: the same request as post.lua with "stream": true. wrk counts a stream as
-- one request, timed until its last chunk.
--   wrk -t1 -c50 -d10s -s bench/stream.lua http://127.0.0.1:9100/v1/chat/completions

bench_stream = true
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "post.lua")
