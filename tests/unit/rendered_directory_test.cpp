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

TEST(RenderedDirectory, KeepsEachScopesBodyForItsSnapshot) {
    RenderedDirectory rendered;
    const auto snapshot = directory_with_host("ada");
    int renders = 0;
    const auto render = [&renders](std::string text) {
        return [&renders, text] {
            ++renders;
            return text;
        };
    };
    const auto dana = rendered.body_for(snapshot, "host dana", render("dana's"));
    EXPECT_EQ(*dana, "dana's");
    EXPECT_EQ(rendered.body_for(snapshot, "host dana", render("again")), dana);
    EXPECT_EQ(*rendered.body_for(snapshot, "host priya", render("priya's")), "priya's");
    EXPECT_EQ(renders, 2);
    // The hosts body is a scope of its own.
    EXPECT_EQ(*rendered.body_for(snapshot), calendly::public_directory_json(*snapshot).dump());
    // A new snapshot renders every scope again.
    const auto next = directory_with_host("grace");
    EXPECT_EQ(*rendered.body_for(next, "host dana", render("dana's, new")), "dana's, new");
    EXPECT_EQ(renders, 3);
}

}  // namespace
}  // namespace calrt::server
