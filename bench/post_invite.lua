-- wrk script: POST one invite per request, walking through (event, user) pairs, each thread from its
-- own share of them, so that as long as the pairs outnumber the requests every request writes a new
-- invitation (the benchmark gives each round new events); past that, requests re-invite (answered
-- 204, nothing changes).
-- Environment: BENCH_PATH_TEMPLATE (with %d for the event id), BENCH_EVENTS and BENCH_USERS
-- (comma-separated ids), BENCH_TOKEN (empty: no Authorization header), BENCH_THREADS (wrk's -t).
-- done() prints one JSON line prefixed with "WRK_JSON " so the numbers are read exactly.

local function ids(name)
    local list = {}
    for id in string.gmatch(os.getenv(name) or "", "%d+") do
        list[#list + 1] = tonumber(id)
    end
    if #list == 0 then list[1] = 1 end
    return list
end

local template = os.getenv("BENCH_PATH_TEMPLATE") or "/"
local events = ids("BENCH_EVENTS")
local users = ids("BENCH_USERS")
local token = os.getenv("BENCH_TOKEN") or ""
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local counter = 0

local headers = { ["Content-Type"] = "application/json" }
if token ~= "" then headers["Authorization"] = "Bearer " .. token end

local threads_started = 0
function setup(thread)
    thread:set("thread_number", threads_started)
    threads_started = threads_started + 1
end

function init(args)
    -- thread_number is set by setup() in this thread's own Lua state
    counter = (thread_number or 0) * math.floor(#users * #events / threads)
end

function request()
    counter = counter + 1
    local user = users[(counter % #users) + 1]
    local event = events[(math.floor(counter / #users) % #events) + 1]
    local body = string.format('{"users": [%d]}', user)
    return wrk.format("POST", string.format(template, event), headers, body)
end

function done(summary, latency, requests)
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "connect_errors": %d, '
            .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, '
            .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
        summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
        summary.errors.read, summary.errors.write, summary.errors.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
