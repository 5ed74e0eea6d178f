//go:build unix && !linux

package testserver

import "syscall"

// procAttr puts the server in its own process group.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// lockThread does nothing: there is no Pdeathsig outside Linux.
func lockThread() {}
