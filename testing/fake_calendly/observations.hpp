#pragma once
// What tests can observe of the fake's side effects: meetings booked through it, cancellations, and
// the webhook deliveries it made.

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace calrt::testing {

struct FakeBooking {
    std::string event_uri;  // the scheduled event created
    std::string invitee_uri;
    std::string event_type_uri;
    std::chrono::system_clock::time_point start_time;
    std::string name;
    std::string email;
    std::string timezone;
    // "api" (POST /invitees), "scheduling_link" (a single-use link's page) or "booking_page" (the
    // host's public event type page)
    std::string source;
    std::string booking_url;  // the single-use link used, for "scheduling_link"
    // POST /invitees' `location` as sent ({"kind","location"}); empty when none was sent.
    std::string location_kind;
    std::string location;
    nlohmann::json questions_and_answers;  // as sent, an array
    // Bookings and cancellations share one count (from 1), so a test can tell which came first.
    std::size_t sequence = 0;
    std::string text_reminder_number{};  // invitee.text_reminder_number as sent; empty: none
    // The user URIs of the hosts the meeting was assigned: the type's owner, a round robin's one
    // host, or every host of a collective.
    std::vector<std::string> host_uris{};
};

struct FakeCancellation {
    std::string event_uri;
    std::string reason;
    std::string canceled_by;
    std::size_t sequence = 0;  // in the count FakeBooking::sequence shares
};

struct WebhookDeliveryRecord {
    std::string event;  // "invitee.created", "invitee.canceled", "event_type.updated", ...
    std::string url;
    std::string body;       // the exact bytes sent
    std::string signature;  // the Calendly-Webhook-Signature header; empty without a signing key
    unsigned status = 0;    // the receiver's HTTP status; 0 when the request failed
    std::string error;      // why it failed
};

}  // namespace calrt::testing
