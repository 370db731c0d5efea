// Loaded into each server with --import when BENCH_PROFILE_DIR is set: V8 writes a --cpu-prof
// profile only when the process exits normally, and a server without a SIGTERM handler of its own
// (the reference) is killed by the signal. This makes the signal a normal exit for such a server;
// a server that handles SIGTERM itself (ours) stops in its own way and exits.
process.on('SIGTERM', () => {
  if (process.listenerCount('SIGTERM') === 1) process.exit(0);
});
