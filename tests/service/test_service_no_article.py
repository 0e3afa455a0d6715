"""The service refuses an HTML page without an article like any other bad input: a typed 400."""

from __future__ import annotations

from service_helpers import RunningService

PAGE = (
    "<!DOCTYPE html><html><body><nav><a href='/'>首页</a><a href='/news'>新闻</a></nav>"
    "<footer><p>版权所有 © 2025 未经授权禁止转载</p></footer></body></html>"
)


def test_a_page_of_navigation_and_footer_is_a_typed_400(service: RunningService) -> None:
    for path in ("/v1/summaries", "/v1/normalize"):
        response = service.request(
            "POST", path, PAGE.encode("utf-8"), headers={"Content-Type": "text/html"}
        )
        assert response.status == 400, (path, response.body)
        error = response.json()["error"]
        assert error["kind"] == "input.no_article"
        assert "no article text was found in the HTML page" in error["message"]
