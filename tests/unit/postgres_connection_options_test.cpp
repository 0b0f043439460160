// What the PostgreSQL store asks libpq for (review item N10): a remote database is authenticated
// (sslmode=verify-full) unless the URL or PGSSLMODE says otherwise; one on this machine keeps
// libpq's default.
#include "store/postgres_connection.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace calrt::store {
namespace {

PostgresConnectionOptions options_for(std::string url, std::string_view environment_sslmode = {}) {
    PostgresSettings settings;
    settings.url = Secret(std::move(url));
    return postgres_connection_options(settings, environment_sslmode).value();
}

std::optional<std::string> option(const PostgresConnectionOptions& options, std::string_view keyword) {
    const auto it = std::find_if(options.begin(), options.end(), [&](const auto& o) { return o.first == keyword; });
    if (it == options.end()) return std::nullopt;
    return it->second;
}

TEST(PostgresConnectionOptions, RemoteHostIsVerifiedAgainstItsCertificate) {
    EXPECT_EQ(option(options_for("postgres://calrt:pw@db.example.com:5432/calrt"), "sslmode"), "verify-full");
    EXPECT_EQ(option(options_for("postgresql://calrt@10.1.2.3/calrt"), "sslmode"), "verify-full");
    EXPECT_EQ(option(options_for("postgres://calrt@[2001:db8::5]/calrt"), "sslmode"), "verify-full");
}

TEST(PostgresConnectionOptions, SslmodeInTheUrlOrPgsslmodeWins) {
    const auto from_url = options_for("postgres://calrt@db.example.com/calrt?sslmode=require");
    EXPECT_EQ(option(from_url, "sslmode"), std::nullopt) << "the URL's own sslmode is the one libpq reads";
    EXPECT_EQ(from_url.back().first, "dbname");
    EXPECT_EQ(from_url.back().second, "postgres://calrt@db.example.com/calrt?sslmode=require")
        << "the URL comes last, so libpq lets it override what came before";
    EXPECT_EQ(option(options_for("postgres://calrt@db.example.com/calrt", "disable"), "sslmode"), std::nullopt);
}

TEST(PostgresConnectionOptions, DatabaseOnThisMachineKeepsLibpqsDefault) {
    EXPECT_EQ(option(options_for("postgres://calrt@localhost/calrt"), "sslmode"), std::nullopt);
    EXPECT_EQ(option(options_for("postgres://calrt@127.0.0.1:5433/calrt"), "sslmode"), std::nullopt);
    EXPECT_EQ(option(options_for("postgres://calrt@127.9.0.1/calrt"), "sslmode"), std::nullopt);
    EXPECT_EQ(option(options_for("postgres://calrt@[::1]/calrt"), "sslmode"), std::nullopt);
    EXPECT_EQ(option(options_for("postgres:///calrt"), "sslmode"), std::nullopt) << "the default Unix socket";
    EXPECT_EQ(option(options_for("postgres://%2Fvar%2Frun%2Fpostgresql/calrt"), "sslmode"), std::nullopt);
    EXPECT_EQ(option(options_for("postgres:///calrt?host=/tmp"), "sslmode"), std::nullopt);
}

TEST(PostgresConnectionOptions, AnyRemoteHostOrAddressMakesItRemote) {
    EXPECT_EQ(option(options_for("postgres://calrt@localhost,db.example.com/calrt"), "sslmode"), "verify-full");
    EXPECT_EQ(option(options_for("postgres://calrt@localhost/calrt?hostaddr=192.0.2.4"), "sslmode"), "verify-full")
        << "hostaddr is where libpq connects";
    EXPECT_TRUE(database_hosts_are_local("localhost,127.0.0.1", ""));
    EXPECT_FALSE(database_hosts_are_local("localhost", "192.0.2.4"));
    EXPECT_FALSE(database_hosts_are_local("localhost.example.com", ""));
}

TEST(PostgresConnectionOptions, EveryBlockingCallIsBounded) {
    PostgresSettings settings;
    settings.url = Secret("postgres://calrt@db.example.com/calrt");
    settings.connect_timeout = std::chrono::seconds(3);
    settings.statement_timeout = std::chrono::milliseconds(2500);
    const auto options = postgres_connection_options(settings, "").value();
    EXPECT_EQ(option(options, "connect_timeout"), "3");
    EXPECT_EQ(option(options, "options"), "-c statement_timeout=2500");
    EXPECT_EQ(option(options, "tcp_user_timeout"), "10000");
    EXPECT_EQ(option(options, "keepalives"), "1");
}

TEST(PostgresConnectionOptions, MalformedUrlIsRefusedWithoutEchoingIt) {
    PostgresSettings settings;
    settings.url = Secret("postgres://calrt:pw-s3cret@[::1/db");
    const auto options = postgres_connection_options(settings, "");
    ASSERT_FALSE(options);
    EXPECT_EQ(options.error().code, "invalid_database_url");
    EXPECT_EQ(options.error().message.find("pw-s3cret"), std::string::npos);
}

}  // namespace
}  // namespace calrt::store
