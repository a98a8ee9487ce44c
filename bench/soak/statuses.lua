-- Counts answers by status across wrk's threads. With TOKEN_CLASS=valid or invalid, each
-- request carries a fresh-looking token so that both cache hits and misses happen; with
-- TOKEN_CLASS=missing it carries none.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  class = os.getenv("TOKEN_CLASS") or "valid"
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local id = math.random(1, 50000)
  local headers = {}
  if class == "valid" then
    headers["Authorization"] = "Bearer id-" .. id
  elseif class == "invalid" then
    headers["Authorization"] = "Bearer nope-" .. id
  end
  return wrk.format("GET", "/cached/" .. id, headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
  io.write(string.format("errors connect=%d read=%d write=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
