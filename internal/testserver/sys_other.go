//go:build !unix

package testserver

import (
	"errors"
	"os"
	"syscall"
)

var errUnsupported = errors.New("testserver: the LangGraph test server is only supported on Unix-like systems")

func lockFile(string) (func(), error) { return nil, errUnsupported }

func signalGroup(p *os.Process, _ syscall.Signal) error {
	if p == nil {
		return nil
	}
	return p.Kill()
}

func processAlive(int) bool { return true }

func procAttr() *syscall.SysProcAttr { return nil }

func lockThread() {}
