-- Like tweets with ids from BENCH_MIN up to BENCH_MAX, or those listed one per line in the
-- file BENCH_IDS (public posts: a followers-only or direct one would be a 404 by design),
-- each once: thread k of BENCH_THREADS takes every BENCH_THREADS-th id, so no two requests
-- like the same tweet (a repeat would be a 400 in the JSON API). BENCH_PATH has {id} in it
-- (a form POST), or BENCH_JSON is set and the id goes in a JSON body.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
local headers = bench_headers()
local path = os.getenv("BENCH_PATH")
local json = os.getenv("BENCH_JSON")
local low, high = tonumber(os.getenv("BENCH_MIN")), tonumber(os.getenv("BENCH_MAX"))
local stride = tonumber(os.getenv("BENCH_THREADS"))
headers["Content-Type"] = json and "application/json" or "application/x-www-form-urlencoded"
local n = 0
local listed = {}
if os.getenv("BENCH_IDS") then
  for line in io.lines(os.getenv("BENCH_IDS")) do listed[#listed + 1] = tonumber(line) end
end

request = function()
  local id
  if #listed > 0 then
    id = listed[1 + ((thread_id - 1) + stride * n) % #listed]
  else
    id = low + ((thread_id - 1) + stride * n) % (high - low + 1)
  end
  n = n + 1
  if json then
    return wrk.format("POST", path, headers, string.format('{"tweet_id": %d}', id))
  end
  return wrk.format("POST", (path:gsub("{id}", tostring(id))), headers, "")
end
