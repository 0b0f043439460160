-- wrk script: POSTs pre-signed webhook deliveries (from make_signed_deliveries), each thread its own
-- share of the file so that deliveries are distinct (a wrap-around repeats them as duplicates).
local threads = {}
local requests = {}
local next_index = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, thread_count = args[1], tonumber(args[2])
  local n = 0
  for line in io.lines(file) do
    if n % thread_count == id then
      local signature, body = line:match("^([^\t]+)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", "/api/calendly/webhook",
        {["Content-Type"] = "application/json", ["Calendly-Webhook-Signature"] = signature}, body)
    end
    n = n + 1
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, requests)
  io.write(string.format("LUA_RESULT requests=%d non2xx=%d errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
