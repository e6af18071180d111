# faqbot as a small, static, non-root image.
#
#   docker build --build-arg VERSION=v1.0.0 -t faqbot .
#   docker run --rm -it faqbot chat          # the shipped knowledge, no tokens
#
# At run time mount your config file at /faqbot/config.yaml and your
# knowledge folder at /faqbot/knowledge; state (SQLite) lives in the volume
# at /faqbot/data. compose.yaml runs it with Slack in Socket Mode, and
# docs/deploy.md covers replicas and sharding. The binary is built exactly as
# CI builds it (see .ci/run); cmd/faqbot/dockerfile_test.go keeps this file
# in step with the code.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/faqbot ./cmd/faqbot
# The app folder: the shipped config and knowledge file as defaults, and an
# empty data folder, all owned by the non-root user of the final image. The
# image's config turns the HTTP listener on (0.0.0.0:8080, the exposed
# port), which the shipped one leaves off, so that HEALTHCHECK has a
# /readyz to ask.
RUN mkdir -p /out/app/knowledge /out/app/data \
 && sed 's/^\( *\)listen: ""$/\1listen: 0.0.0.0:8080/' config.yaml > /out/app/config.yaml \
 && cp knowledge/faq.yaml /out/app/knowledge/faq.yaml

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/faqbot /usr/local/bin/faqbot
COPY --from=build --chown=65532:65532 /out/app /faqbot
WORKDIR /faqbot
USER 65532:65532
VOLUME ["/faqbot/knowledge", "/faqbot/data"]
# The HTTP listener (health, metrics, Slack HTTP mode, Discord interactions),
# on in the image's config; a config mounted over it sets http.listen:
# 0.0.0.0:8080 for HEALTHCHECK to pass.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/faqbot", "healthcheck", "--config", "/faqbot/config.yaml"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/faqbot"]
CMD ["run", "--config", "/faqbot/config.yaml"]
