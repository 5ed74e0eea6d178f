package testserver

import (
	"runtime"
	"syscall"
)

// procAttr puts the server in its own process group, and has the kernel send
// it SIGTERM if the thread that started it ends (see startProcess).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// lockThread pins the calling goroutine to its OS thread, for Pdeathsig.
func lockThread() { runtime.LockOSThread() }
