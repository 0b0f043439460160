// Writes N distinct, correctly signed Calendly webhook deliveries for the wrk load run, one per line:
// "<Calendly-Webhook-Signature>\t<body>". Signed now, so the run must start within the 180 s tolerance.
//   make_signed_deliveries SECRET COUNT > deliveries.tsv
#include "calrt/calendly/webhook_signature.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_signed_deliveries SECRET COUNT\n";
        return 2;
    }
    const calrt::Secret key(argv[1]);
    const long count = std::stol(argv[2]);
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::string line;
    for (long i = 0; i < count; ++i) {
        const std::string id = std::to_string(i);
        const std::string body =
            R"({"event":"invitee.created","created_at":"2026-11-25T10:00:00.000000Z","created_by":"https://api.calendly.com/users/BENCH",)"
            R"("payload":{"uri":"https://api.calendly.com/scheduled_events/BENCH/invitees/)" + id +
            R"(","email":"invitee)" + id + R"(@example.com","name":"Bench Invitee )" + id +
            R"(","status":"active","timezone":"Europe/Berlin","event":"https://api.calendly.com/scheduled_events/BENCH",)"
            R"("questions_and_answers":[],"rescheduled":false,"created_at":"2026-11-25T10:00:00.000000Z"}})";
        line = calrt::calendly::sign_webhook_payload(key, now, body);
        line += '\t';
        line += body;
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
    return 0;
}
