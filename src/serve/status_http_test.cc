#include "serve/status_http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(StatusHttpTest, MapsEveryCodeToItsHttpStatus) {
  EXPECT_EQ(HttpStatusFor(OkStatus()), 200);
  EXPECT_EQ(HttpStatusFor(InvalidArgumentError("x")), 400);
  EXPECT_EQ(HttpStatusFor(NotFoundError("x")), 404);
  EXPECT_EQ(HttpStatusFor(AlreadyExistsError("x")), 409);
  EXPECT_EQ(HttpStatusFor(FailedPreconditionError("x")), 409);
  EXPECT_EQ(HttpStatusFor(ResourceExhaustedError("x")), 413);
  EXPECT_EQ(HttpStatusFor(UnavailableError("x")), 503);
  EXPECT_EQ(HttpStatusFor(DataLossError("x")), 500);
  EXPECT_EQ(HttpStatusFor(InternalError("x")), 500);
  EXPECT_EQ(HttpStatusFor(UnimplementedError("x")), 500);
}

TEST(StatusHttpTest, ErrorJsonHasCodeNameAndMessage) {
  nlohmann::json body = ErrorJson(NotFoundError("unknown item 'a'"));
  EXPECT_EQ(body, nlohmann::json::parse(
                      R"({"error": {"code": "NOT_FOUND", "message": "unknown item 'a'"}})"));
}

TEST(StatusHttpTest, LibraryStatusesBecomeMatchingCodes) {
  EXPECT_EQ(StatusForHttp(404, "m").code(), StatusCode::kNotFound);
  EXPECT_EQ(StatusForHttp(413, "m").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusForHttp(400, "m").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusForHttp(500, "m").code(), StatusCode::kInternal);
  EXPECT_EQ(StatusForHttp(400, "bad line").message(), "bad line");
}

}  // namespace
}  // namespace tailor
