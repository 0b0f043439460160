#include "calrt/calendly/organization_directory.hpp"
#include "calrt/server/calendly_routes.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace calrt::server {
namespace {

std::shared_ptr<const calendly::Directory> directory_with_host(std::string name) {
    calendly::Directory directory;
    directory.hosts.push_back({"https://api.calendly.com/users/" + name, name, name, "", "UTC", {}, {}});
    return std::make_shared<const calendly::Directory>(std::move(directory));
}

TEST(RenderedDirectory, RendersOnceForTheSameSnapshot) {
    RenderedDirectory rendered;
    const auto snapshot = directory_with_host("ada");
    const auto first = rendered.body_for(snapshot);
    EXPECT_EQ(*first, calendly::public_directory_json(*snapshot).dump());
    EXPECT_EQ(rendered.body_for(snapshot), first);
}

TEST(RenderedDirectory, RendersANewSnapshotAgainEvenWhenTheOldOneIsGone) {
    RenderedDirectory rendered;
    auto old = directory_with_host("ada");
    const auto before = rendered.body_for(old);
    old.reset();  // the directory replaced it; the next may be allocated where it was
    const auto replaced = directory_with_host("grace");
    const auto after = rendered.body_for(replaced);
    EXPECT_NE(*after, *before);
    EXPECT_EQ(*after, calendly::public_directory_json(*replaced).dump());
}

}  // namespace
}  // namespace calrt::server
