# What the benchmark scripts share; sourced from the repository root.

# Installs with apt whichever of the named tools is missing.
install_missing() {
  local tool missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if (( ${#missing[@]} )); then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Builds bench-server (release) and sets $bin to it.
build_bench_server() {
  cargo build --quiet --release -p actix-authorize-bench --bin bench-server
  bin=target/release/bench-server
}

# Whether something listens on 127.0.0.1:$1.
ready() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits up to 30 s for each of the given ports to listen; exits if one does not.
wait_for() {
  local port
  for port in "$@"; do
    for _ in $(seq 1 300); do ready "$port" && continue 2; sleep 0.1; done
    echo "nothing listens on port $port" >&2
    exit 1
  done
}
