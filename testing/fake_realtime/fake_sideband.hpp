#pragma once
// A SIP call's sideband on the fake Realtime server: the WebSocket a server opens with ?call_id=
// to the session of a call it accepted ("Once established, you can set up a web socket and monitor
// the session as usual", developers.openai.com guides/realtime-sip; "two active connections to the
// same Realtime session", guides/realtime-server-controls; research/openai-sip.md).
//
// The fake plays the phone caller on it (FakeRealtime::caller_says, caller_presses,
// caller_hangs_up; fake_caller.cpp). What the caller does before the sideband is open is queued
// and played, in order, right after the sideband's session.created (tests act as the caller right
// after the accept, before the service has connected).
//
// When the call ends the fake closes the sideband with a close frame, code 1000 (normal closure),
// and a reason saying why. OpenAI documents neither that the server closes the sideband nor a code
// (an issue even reports a sideband left open after its WebRTC peer left: openai/openai-agents-js
// #684), so both are the fake's choice: a service must end its session on a close frame and should
// not count on getting one. The call ends when:
// - the caller hangs up (FakeCalls::end_by_caller, state `ended`);
// - POST /hangup succeeds ("OpenAI begins terminating the realtime call", the OpenAPI spec);
// - POST /refer succeeds: the call is transferred to the target and leaves the session (the spec
//   says only "once the REFER is handed off to your SIP provider"; closing then is the fake's
//   choice, after the request is recorded).

#include <memory>
#include <string>

#include "testing/fake_realtime/fake_realtime_state.hpp"

namespace calrt::testing {

// A sideband for `call_id` is connected (before its session.created): registers it, so that
// sideband_open() holds once the client has the session.created.
void sideband_connected(FakeRealtime::State& state, const std::string& call_id,
                        const std::shared_ptr<CallerLine>& line,
                        const std::shared_ptr<net::WebSocket>& socket);

// After the sideband's session.created: plays what the caller did meanwhile, then lets the
// caller act on it directly.
void sideband_ready(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
                    CallerLine& line);

// The serve loop of the sideband on `socket` ended (a later sideband to the call stays).
void sideband_closed(FakeRealtime::State& state, const std::string& call_id,
                     const std::shared_ptr<net::WebSocket>& socket);

// The caller does `action`: at once on a live sideband, else queued for the next one. Nothing for
// a call that is over; std::invalid_argument for a call the fake never offered.
void act_as_caller(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
                   CallerAction action);

// The call is over (`why`: ended, hung_up or referred): drops what the caller had queued and
// closes the call's sideband, if one is connected.
void end_sideband(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
                  FakeCallState why);

}  // namespace calrt::testing
