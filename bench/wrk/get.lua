-- GET one page (the URL given to wrk) with the session cookie and, for fragments, HX-Request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
wrk.headers = bench_headers()
