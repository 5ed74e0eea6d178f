// Package wiretest holds only tests: it checks the SDK's wire types against
// the answers of the real LangGraph server.
//
// testdata/wire holds one recorded answer of every endpoint the JS server
// (testdata/server) implements. The tests decode each one with the SDK, encode
// the result again and require every field the server sent to come back with
// its value, so that a field the SDK's types lack fails a test instead of
// vanishing. The same check runs on live answers of the test server, which
// must also have no field the recorded files lack.
//
// The fake deployment of package langgraphtest is held to the same answers:
// its answers must have the recorded ones' key paths (TestFakeWireShapes),
// and the same SDK calls against it and against the live server must decode
// to the same values, ids and times aside (TestFakeConformance).
//
// To record the files again (after a server upgrade, or to add a case):
//
//	go test ./internal/wiretest -run TestWireLive -record
package wiretest
