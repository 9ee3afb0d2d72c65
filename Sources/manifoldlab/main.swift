import ManifoldLab

// OpenBLAS picks its kernels before `main`; on CPUs it does not recognise it falls back to slow
// generic ones, so restart once with the right kernel family in the environment.
OpenBLASStartup.ensureFastKernels()
BLASBackend.setThreads(1)
// SIGQUIT ends a command as SIGTERM does, never with the runtime's crash backtrace.
Interruption.installQuitAsTerminate()
Manifoldlab.runAndExit()
