#include "calrt/core/config_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace calrt {
namespace {

class ConfigTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / ("calrt-config-" + std::to_string(rd()));
        std::filesystem::create_directories(dir_ / "config");
        sources_.working_dir = dir_;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    void write(const std::string& relative, const std::string& text) {
        std::ofstream(dir_ / relative) << text;
    }

    std::filesystem::path dir_;
    ConfigSources sources_;
};

TEST_F(ConfigTest, BuiltInDefaultsApplyWithNoSources) {
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->server.host, "127.0.0.1");
    EXPECT_EQ(config->server.port, 3000);
    EXPECT_EQ(config->calendly.api_base_url, "https://api.calendly.com");
    EXPECT_EQ(config->openai.model, "gpt-realtime-2.1");
    EXPECT_EQ(config->openai.turn_detection, "server_vad");
    EXPECT_EQ(config->log.format, "text");
    EXPECT_TRUE(config->calendly_sandbox());
}

TEST_F(ConfigTest, EachLayerOverridesTheOneBelow) {
    write("config/default.json", R"({"server":{"port":4001,"host":"0.0.0.0"},"log":{"level":"debug"}})");
    write(".env", "PORT=4002\nLOG_LEVEL=warn\nDATA_DIR=/from/env-file\n");
    write(".env.local", "PORT=4003\nLOG_LEVEL=error\n");
    sources_.environment = {{"PORT", "4004"}};
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->server.host, "0.0.0.0");       // file only
    EXPECT_EQ(config->data_dir, "/from/env-file");   // .env only
    EXPECT_EQ(config->log.level, "error");           // .env.local beats .env and the file
    EXPECT_EQ(config->server.port, 4004);            // environment beats .env.local

    sources_.flags = {{"PORT", "4005"}};
    config = load_config(sources_);
    ASSERT_TRUE(config);
    EXPECT_EQ(config->server.port, 4005);  // flags beat everything
}

TEST_F(ConfigTest, ExplicitConfigFileReplacesTheDefaultOne) {
    write("config/default.json", R"({"server":{"port":4001}})");
    write("other.json", R"({"server":{"port":4010}})");
    sources_.config_file = dir_ / "other.json";
    auto config = load_config(sources_);
    ASSERT_TRUE(config);
    EXPECT_EQ(config->server.port, 4010);
}

TEST_F(ConfigTest, MissingExplicitConfigFileIsAnError) {
    sources_.config_file = dir_ / "nope.json";
    auto config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("nope.json"), std::string::npos);
}

TEST_F(ConfigTest, NonNumericPortStopsStartUpNamingTheVariable) {
    sources_.environment = {{"PORT", "abc"}};
    auto config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("PORT"), std::string::npos);
    EXPECT_NE(config.error().message.find("abc"), std::string::npos);
    EXPECT_NE(config.error().message.find("environment"), std::string::npos);
}

TEST_F(ConfigTest, BookingOnlyForProvenEmailsNeedsSelfService) {
    sources_.environment = {{"BOOKING_REQUIRES_VERIFIED_EMAIL", "true"}};
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_TRUE(config->self_service.booking_requires_verified_email);

    sources_.environment = {{"BOOKING_REQUIRES_VERIFIED_EMAIL", "true"}, {"SELF_SERVICE", "false"}};
    config = load_config(sources_);
    ASSERT_FALSE(config) << "no booking could ever be made: there would be no way to prove an email";
    EXPECT_NE(config.error().message.find("SELF_SERVICE"), std::string::npos);
}

TEST_F(ConfigTest, MalformedUrlStopsStartUpNamingTheVariable) {
    sources_.environment = {{"CALENDLY_API_BASE_URL", "not a url"}};
    auto config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("CALENDLY_API_BASE_URL"), std::string::npos);

    sources_.environment = {{"OPENAI_REALTIME_URL", "https://api.openai.com/v1/realtime"}};
    config = load_config(sources_);
    ASSERT_FALSE(config) << "a Realtime URL must be ws:// or wss://";
    EXPECT_NE(config.error().message.find("OPENAI_REALTIME_URL"), std::string::npos);
}

TEST_F(ConfigTest, PlainHttpBaseUrlsAreAccepted) {
    sources_.environment = {{"CALENDLY_API_BASE_URL", "http://127.0.0.1:8080"},
                            {"OPENAI_REALTIME_URL", "ws://127.0.0.1:9090/v1/realtime"}};
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->calendly.api_base_url, "http://127.0.0.1:8080");
}

TEST_F(ConfigTest, PublicBaseUrlIsOptionalAndOpenAiApiBaseUrlDefaultsToOpenAi) {
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->deployment.public_base_url, "");
    EXPECT_EQ(config->deployment.openai_api_base_url, "https://api.openai.com/v1");

    sources_.environment = {{"PUBLIC_BASE_URL", "https://book.example.com"},
                            {"OPENAI_API_BASE_URL", "http://127.0.0.1:9090/v1"}};
    config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->deployment.public_base_url, "https://book.example.com");
    EXPECT_EQ(config->deployment.openai_api_base_url, "http://127.0.0.1:9090/v1");
}

TEST_F(ConfigTest, PublicAndOpenAiBaseUrlsMustBeHttpUrls) {
    for (const char* name : {"PUBLIC_BASE_URL", "OPENAI_API_BASE_URL"}) {
        for (const char* value : {"book.example.com", "wss://api.openai.com/v1"}) {
            sources_.environment = {{name, value}};
            auto config = load_config(sources_);
            ASSERT_FALSE(config) << name << "=" << value;
            EXPECT_NE(config.error().message.find(name), std::string::npos) << config.error().message;
        }
    }
}

TEST_F(ConfigTest, NextPublicCalendlyUrlIsAnAliasForTheFallbackUrl) {
    write(".env", "NEXT_PUBLIC_CALENDLY_URL=https://calendly.com/host/30min\n");
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->calendly.fallback_url, "https://calendly.com/host/30min");

    // The canonical name wins over the alias within one layer.
    sources_.environment = {{"NEXT_PUBLIC_CALENDLY_URL", "https://calendly.com/a"},
                            {"CALENDLY_FALLBACK_URL", "https://calendly.com/b"}};
    config = load_config(sources_);
    ASSERT_TRUE(config);
    EXPECT_EQ(config->calendly.fallback_url, "https://calendly.com/b");
}

TEST_F(ConfigTest, SecretsAreRedactedInTheDescription) {
    sources_.environment = {{"CALENDLY_API_KEY", "pat-very-secret"},
                            {"OPENAI_API_KEY", "sk-very-secret"},
                            {"API_ADMIN_TOKEN", "admin-very-secret"},
                            {"CALENDLY_WEBHOOK_SECRET", "whsec-very-secret"}};
    auto config = load_config(sources_);
    ASSERT_TRUE(config);
    EXPECT_EQ(config->calendly.api_key.reveal(), "pat-very-secret");
    EXPECT_FALSE(config->calendly_sandbox());
    const std::string description = describe_config(*config);
    EXPECT_EQ(description.find("very-secret"), std::string::npos) << description;
    EXPECT_NE(description.find("CALENDLY_API_KEY=[redacted]"), std::string::npos);
}

TEST_F(ConfigTest, SecretsAreRefusedInTheConfigFileAndOnTheCommandLine) {
    write("config/default.json", R"({"calendly":{"api_key":"pat-secret"}})");
    auto config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().message.find("pat-secret"), std::string::npos);

    std::filesystem::remove(dir_ / "config" / "default.json");
    sources_.flags = {{"OPENAI_API_KEY", "sk-secret"}};
    config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().message.find("sk-secret"), std::string::npos);
}

TEST_F(ConfigTest, DatabaseUrlComesFromTheEnvironmentOrItsFlagAndIsRedacted) {
    sources_.environment = {{"DATABASE_URL", "postgres://calrt:pw-very-secret@db.internal:5432/calrt"}};
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->database_url.reveal(), "postgres://calrt:pw-very-secret@db.internal:5432/calrt");
    const std::string description = describe_config(*config);
    EXPECT_EQ(description.find("very-secret"), std::string::npos) << description;
    EXPECT_NE(description.find("DATABASE_URL=[redacted]"), std::string::npos) << description;

    // The one secret with a flag (issue 10 asks for --database-url); the flag wins over the environment.
    sources_.flags = {{"DATABASE_URL", "postgresql://other@127.0.0.1/calrt"}};
    config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->database_url.reveal(), "postgresql://other@127.0.0.1/calrt");
}

TEST_F(ConfigTest, DatabaseUrlThatIsNotPostgresIsRefusedWithoutEchoingIt) {
    sources_.environment = {{"DATABASE_URL", "mysql://root:pw-very-secret@db/calrt"}};
    const auto config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("DATABASE_URL"), std::string::npos) << config.error().message;
    EXPECT_EQ(config.error().message.find("very-secret"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, UnknownKeyInConfigFileIsNamed) {
    write("config/default.json", R"({"server":{"prot":3000}})");
    auto config = load_config(sources_);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("/server/prot"), std::string::npos);
}

TEST_F(ConfigTest, SandboxFlagForcesSandboxEvenWithCredentials) {
    sources_.environment = {{"CALENDLY_API_KEY", "pat"}};
    sources_.sandbox_flag = true;
    auto config = load_config(sources_);
    ASSERT_TRUE(config);
    EXPECT_TRUE(config->calendly_sandbox());
}

TEST_F(ConfigTest, LimitsComeFromTheFile) {
    write("config/default.json", R"({"server":{"limits":{"max_body_bytes":1000,"header_timeout_ms":250}}})");
    auto config = load_config(sources_);
    ASSERT_TRUE(config);
    EXPECT_EQ(config->server.limits.max_body_bytes, 1000u);
    EXPECT_EQ(config->server.limits.header_timeout, std::chrono::milliseconds(250));
}

TEST_F(ConfigTest, CalendlyClientLimitsHaveDefaultsAndTheAvailabilityCacheCanBeTurnedOff) {
    auto defaults = load_config(sources_);
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->calendly.list_deadline, std::chrono::milliseconds(30'000));
    EXPECT_EQ(defaults->calendly.max_concurrent_calls, 8u);
    EXPECT_EQ(defaults->calendly.availability_cache_ttl, std::chrono::milliseconds(30'000));

    write("config/default.json",
          R"({"calendly":{"list_deadline_ms":5000,"max_concurrent_calls":2,"availability_cache_ttl_ms":0}})");
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->calendly.list_deadline, std::chrono::milliseconds(5'000));
    EXPECT_EQ(config->calendly.max_concurrent_calls, 2u);
    EXPECT_EQ(config->calendly.availability_cache_ttl, std::chrono::milliseconds(0));

    write("config/default.json", R"({"calendly":{"max_concurrent_calls":0}})");
    EXPECT_FALSE(load_config(sources_)) << "at least one call must be allowed";
}

TEST_F(ConfigTest, CallSlotsReservedForWritesDefaultToTwoAndCanBeSet) {
    auto defaults = load_config(sources_);
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->calendly.reserved_write_calls, 2u);

    write("config/default.json", R"({"calendly":{"reserved_write_calls":0}})");
    auto config = load_config(sources_);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->calendly.reserved_write_calls, 0u);
}

TEST_F(ConfigTest, SelfServiceAuditRetentionIsAYearByDefaultAndZeroKeepsChangesForever) {
    auto defaults = load_config(sources_);
    ASSERT_TRUE(defaults) << defaults.error().message;
    EXPECT_EQ(defaults->self_service.audit_retention_days, 365u);

    sources_.environment = {{"SELF_SERVICE_AUDIT_RETENTION_DAYS", "0"}};
    auto forever = load_config(sources_);
    ASSERT_TRUE(forever) << forever.error().message;
    EXPECT_EQ(forever->self_service.audit_retention_days, 0u);

    sources_.environment = {{"SELF_SERVICE_AUDIT_RETENTION_DAYS", "a year"}};
    auto refused = load_config(sources_);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("SELF_SERVICE_AUDIT_RETENTION_DAYS"), std::string::npos)
        << refused.error().message;
}

TEST_F(ConfigTest, PhoneSettingsDefaultOffWithFiveLinesAndAreBounded) {
    auto defaults = load_config(sources_);
    ASSERT_TRUE(defaults) << defaults.error().message;
    EXPECT_TRUE(defaults->phone.webhook_secret.empty());
    EXPECT_EQ(defaults->phone.max_calls, 5u);

    sources_.environment = {{"OPENAI_WEBHOOK_SECRET", "whsec_c2VjcmV0"}, {"PHONE_MAX_CALLS", "0"}};
    auto set = load_config(sources_);
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->phone.webhook_secret.reveal(), "whsec_c2VjcmV0");
    EXPECT_EQ(set->phone.max_calls, 0u);

    sources_.environment = {{"PHONE_MAX_CALLS", "10001"}};
    auto refused = load_config(sources_);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("PHONE_MAX_CALLS"), std::string::npos) << refused.error().message;
}

TEST_F(ConfigTest, PhoneHandoffHoursAndCallLengthHaveDefaultsAndRefuseNonsense) {
    auto defaults = load_config(sources_);
    ASSERT_TRUE(defaults) << defaults.error().message;
    EXPECT_EQ(defaults->phone.handoff_uri, "");
    EXPECT_EQ(defaults->phone.hours, "");
    EXPECT_EQ(defaults->phone.time_zone, "UTC");
    EXPECT_EQ(defaults->phone.blocked_numbers, "");
    EXPECT_EQ(defaults->phone.max_call_minutes, 15u);

    sources_.environment = {{"PHONE_HANDOFF_URI", "sip:desk@pbx.example.com"},
                            {"PHONE_HOURS", "mon-fri 09:00-17:00"},
                            {"PHONE_TIME_ZONE", "Europe/Berlin"},
                            {"PHONE_BLOCKED_NUMBERS", "+1900*, anonymous"},
                            {"PHONE_MAX_CALL_MINUTES", "30"}};
    auto set = load_config(sources_);
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->phone.handoff_uri, "sip:desk@pbx.example.com");
    EXPECT_EQ(set->phone.max_call_minutes, 30u);
    sources_.environment = {{"PHONE_HANDOFF_URI", "tel:+1 415 555 0100"}};
    EXPECT_TRUE(load_config(sources_));

    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"PHONE_HANDOFF_URI", "https://example.com"},
             {"PHONE_HANDOFF_URI", "tel:555"},
             {"PHONE_MAX_CALL_MINUTES", "0"},
             {"PHONE_MAX_CALL_MINUTES", "241"}}) {
        sources_.environment = {{name, value}};
        auto refused = load_config(sources_);
        ASSERT_FALSE(refused) << name << "=" << value;
        EXPECT_NE(refused.error().message.find(name), std::string::npos) << refused.error().message;
    }
}

TEST_F(ConfigTest, PhoneLimitsSharedAcrossReplicasDefaultToFiveAnHourTwentyADayAndSixHundredMinutes) {
    auto defaults = load_config(sources_);
    ASSERT_TRUE(defaults) << defaults.error().message;
    EXPECT_EQ(defaults->phone.max_calls_per_number_per_hour, 5u);
    EXPECT_EQ(defaults->phone.max_calls_per_number_per_day, 20u);
    EXPECT_EQ(defaults->phone.max_minutes_per_day, 600u);

    sources_.environment = {{"PHONE_MAX_CALLS_PER_NUMBER_PER_HOUR", "0"},
                            {"PHONE_MAX_CALLS_PER_NUMBER_PER_DAY", "0"},
                            {"PHONE_MAX_MINUTES_PER_DAY", "0"}};
    auto unlimited = load_config(sources_);
    ASSERT_TRUE(unlimited) << unlimited.error().message;
    EXPECT_EQ(unlimited->phone.max_calls_per_number_per_hour, 0u);
    EXPECT_EQ(unlimited->phone.max_calls_per_number_per_day, 0u);
    EXPECT_EQ(unlimited->phone.max_minutes_per_day, 0u);

    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"PHONE_MAX_CALLS_PER_NUMBER_PER_HOUR", "100001"},
             {"PHONE_MAX_CALLS_PER_NUMBER_PER_DAY", "1000001"},
             {"PHONE_MAX_MINUTES_PER_DAY", "1000001"},
             {"PHONE_MAX_MINUTES_PER_DAY", "-1"}}) {
        sources_.environment = {{name, value}};
        auto refused = load_config(sources_);
        ASSERT_FALSE(refused) << name << "=" << value;
        EXPECT_NE(refused.error().message.find(name), std::string::npos) << refused.error().message;
    }
}

TEST_F(ConfigTest, WhsecSecretThatIsNotBase64StopsStartUpWithoutShowingIt) {
    sources_.environment = {{"OPENAI_WEBHOOK_SECRET", "whsec_not*base64!"}};
    auto refused = load_config(sources_);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("OPENAI_WEBHOOK_SECRET"), std::string::npos) << refused.error().message;
    EXPECT_EQ(refused.error().message.find("not*base64"), std::string::npos) << refused.error().message;
}

TEST_F(ConfigTest, ShippedDefaultJsonLoads) {
    ConfigSources shipped;
    shipped.working_dir = CALRT_SOURCE_DIR;
    auto config = load_config(shipped);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->server.port, 3000);
}

TEST(Dotenv, ParsesCommentsExportAndQuotes) {
    auto vars = parse_dotenv(
        "# comment\n"
        "export A=1\n"
        "B = two words # trailing comment\n"
        "C='single # kept'\n"
        "D=\"double\\nline\"\n"
        "E=\"multi\nline\"\n"
        "\n"
        "F=\n");
    ASSERT_TRUE(vars) << vars.error().message;
    EXPECT_EQ(vars->at("A"), "1");
    EXPECT_EQ(vars->at("B"), "two words");
    EXPECT_EQ(vars->at("C"), "single # kept");
    EXPECT_EQ(vars->at("D"), "double\nline");
    EXPECT_EQ(vars->at("E"), "multi\nline");
    EXPECT_EQ(vars->at("F"), "");
}

TEST(Dotenv, RejectsLinesWithoutAssignmentWithLineNumber) {
    auto vars = parse_dotenv("A=1\nthis is wrong\n");
    ASSERT_FALSE(vars);
    EXPECT_NE(vars.error().message.find("line 2"), std::string::npos);
}

TEST(SettingSpecs, EveryNonSecretSettingHasAFlagAndAFilePlace) {
    for (const auto& spec : setting_specs()) {
        EXPECT_NE(spec.apply, nullptr) << spec.name;
        EXPECT_NE(spec.show, nullptr) << spec.name;
        if (!spec.secret) {
            EXPECT_FALSE(spec.json_pointer.empty()) << spec.name;
        }
        EXPECT_TRUE(spec.flag().starts_with("--")) << spec.name;
    }
}

}  // namespace
}  // namespace calrt
