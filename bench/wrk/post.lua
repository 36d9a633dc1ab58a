-- Post a tweet: BENCH_PATH (e.g. /t), form field BENCH_FIELD or a JSON body when BENCH_JSON is set.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
local headers = bench_headers()
local path = os.getenv("BENCH_PATH")
local json = os.getenv("BENCH_JSON")
headers["Content-Type"] = json and "application/json" or "application/x-www-form-urlencoded"
local n = 0

request = function()
  n = n + 1
  local text = string.format("bench tweet %d from thread %d", n, thread_id or 0)
  local body = json and string.format('{"text": "%s"}', text)
    or ("text=" .. text:gsub(" ", "+"))
  return wrk.format("POST", path, headers, body)
end
