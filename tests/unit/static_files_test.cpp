#include "calrt/server/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace calrt::server {
namespace {

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        base_ = std::filesystem::temp_directory_path() / ("calrt-web-" + std::to_string(rd()));
        std::filesystem::create_directories(base_ / "web" / "js");
        std::ofstream(base_ / "web" / "index.html") << "<h1>hi</h1>";
        std::ofstream(base_ / "web" / "js" / "app.js") << "console.log(1)";
        std::ofstream(base_ / "secret.txt") << "outside the web root";
    }
    void TearDown() override { std::filesystem::remove_all(base_); }

    Response get(const StaticFiles& files, std::string path) {
        Request request;
        request.method = "GET";
        request.path = std::move(path);
        return files.serve(request);
    }

    std::filesystem::path base_;
};

TEST_F(StaticFilesTest, RootServesIndexHtmlAsHtml) {
    StaticFiles files(base_ / "web");
    auto response = get(files, "/");
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(response.body, "<h1>hi</h1>");
}

TEST_F(StaticFilesTest, NestedFilesGetTheirContentType) {
    StaticFiles files(base_ / "web");
    auto response = get(files, "/js/app.js");
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, TraversalOutsideTheRootIsNotFound) {
    StaticFiles files(base_ / "web");
    EXPECT_EQ(get(files, "/../secret.txt").status, 404u);
    EXPECT_EQ(get(files, "/js/../../secret.txt").status, 404u);
    EXPECT_EQ(get(files, "/nope.html").status, 404u);
}

TEST_F(StaticFilesTest, MissingRootServesNothing) {
    StaticFiles files(base_ / "missing");
    EXPECT_EQ(files.size(), 0u);
    EXPECT_EQ(get(files, "/").status, 404u);
}

}  // namespace
}  // namespace calrt::server
