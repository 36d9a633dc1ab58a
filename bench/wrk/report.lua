-- Shared by every scenario: one machine-readable result line for bench/run.
-- errors = non-2xx/3xx responses plus socket errors (connect, read, write, timeout).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end

-- Headers every scenario may need, from the environment bench/run sets.
function bench_headers()
  local headers = {}
  if os.getenv("BENCH_COOKIE") then headers["Cookie"] = os.getenv("BENCH_COOKIE") end
  if os.getenv("BENCH_CSRF") then headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF") end
  if os.getenv("BENCH_AUTH") then headers["Authorization"] = os.getenv("BENCH_AUTH") end
  if os.getenv("BENCH_HX") then headers["HX-Request"] = "true" end
  return headers
end

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
