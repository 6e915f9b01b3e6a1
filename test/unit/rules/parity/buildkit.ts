/**
 * Docker's build checks, the bad and good examples of each check's reference page, written for
 * this project from those pages; lines are where BuildKit reports: the first line of the
 * instruction the check is about.
 */
import { bad, good, type ParityCase } from './table.js';

const IGNORE_TMP = { dockerignore: '*/tmp/*\n', files: ['tmp/helloworld.txt', 'forever/helloworld.txt'] };

export const BUILDKIT_CASES: ParityCase[] = [
  bad('StageNameCasing', 'FROM alpine:3.20 AS BuilderBase', 1),
  good('StageNameCasing', 'FROM alpine:3.20 AS builder-base'),
  bad('FromAsCasing', 'FROM debian:12.5 as builder', 1),
  good('FromAsCasing', 'FROM debian:12.5 AS builder'),
  good('FromAsCasing', 'from debian:12.5 as builder'),
  bad('NoEmptyContinuation', 'FROM alpine:3.20\nEXPOSE \\\n\n80', 4),
  good('NoEmptyContinuation', 'FROM alpine:3.20\nEXPOSE \\\n# port\n80'),
  bad('ConsistentInstructionCasing', 'FROM alpine:3.20\nrun echo hello\nCOPY a.txt /a.txt', 2),
  good('ConsistentInstructionCasing', 'FROM alpine:3.20\nRUN echo hello\nCOPY a.txt /a.txt'),
  bad('DuplicateStageName', 'FROM debian:12.5 AS builder\nRUN make\nFROM alpine:3.20 AS builder', 3),
  good('DuplicateStageName', 'FROM debian:12.5 AS deb-builder\nRUN make\nFROM alpine:3.20 AS alpine-builder'),
  bad('ReservedStageName', 'FROM alpine:3.20 AS scratch', 1),
  good('ReservedStageName', 'FROM alpine:3.20 AS builder'),
  bad('JSONArgsRecommended', 'FROM alpine:3.20\nENTRYPOINT my-program start', 2),
  good('JSONArgsRecommended', 'FROM alpine:3.20\nENTRYPOINT ["my-program", "start"]'),
  good('JSONArgsRecommended', 'FROM alpine:3.20\nSHELL ["/bin/sh", "-c"]\nENTRYPOINT my-program start'),
  bad('JSONArgsRecommended', 'FROM alpine:3.20\nCMD my-program \\\n  start', 2),
  bad('MaintainerDeprecated', 'FROM alpine:3.20\nMAINTAINER moby@example.com', 2),
  good('MaintainerDeprecated', 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="moby@example.com"'),
  bad('UndefinedArgInFrom', 'FROM node:22${VARIANT} AS jsbuilder', 1),
  good('UndefinedArgInFrom', 'ARG VARIANT="-alpine3.20"\nFROM node:22${VARIANT} AS jsbuilder'),
  bad('WorkdirRelativePath', 'FROM nginx:1.27 AS web\nWORKDIR usr/share/nginx/html\nCOPY public .', 2),
  good('WorkdirRelativePath', 'FROM nginx:1.27 AS web\nWORKDIR /usr/share/nginx/html\nCOPY public .'),
  good('WorkdirRelativePath', 'FROM nginx:1.27 AS web\nWORKDIR /usr/share\nWORKDIR nginx/html'),
  bad('UndefinedVar', 'FROM alpine:3.20 AS base\nCOPY $foo .', 2),
  good('UndefinedVar', 'FROM alpine:3.20 AS base\nARG foo\nCOPY $foo .'),
  bad('UndefinedVar', 'FROM alpine:3.20 AS base\nARG VERSION=$foo', 2),
  good('UndefinedVar', 'FROM python:3.12 AS base\nARG VERSION=$PYTHON_VERSION'),
  bad('UndefinedVar', 'FROM alpine:3.20\nENV PATH=$PAHT:/app/bin', 2),
  good('UndefinedVar', 'FROM alpine:3.20\nRUN echo $HOME_DIR'),
  bad(
    'MultipleInstructionsDisallowed',
    'FROM alpine:3.20\nENTRYPOINT ["echo", "Hello, Norway!"]\nENTRYPOINT ["echo", "Hello, Sweden!"]',
    2,
  ),
  good('MultipleInstructionsDisallowed', 'FROM alpine:3.20\nENTRYPOINT ["echo", "Hello, Norway!\\nHello, Sweden!"]'),
  bad('LegacyKeyValueFormat', 'FROM alpine:3.20\nARG foo bar', 2, {
    differs:
      "BuildKit's parser reads `ARG foo bar` as two ARGs, foo and bar (only ENV and LABEL have a legacy key value form), and does not warn, although the page shows it as bad; layerwise follows the implementation, as `ARG TARGETOS TARGETARCH` is a common idiom",
  }),
  good('LegacyKeyValueFormat', 'FROM alpine:3.20\nARG foo=bar'),
  bad('LegacyKeyValueFormat', 'FROM alpine:3.20\nENV DEPS \\\n    curl \\\n    git', 2),
  good('LegacyKeyValueFormat', 'FROM alpine:3.20\nENV DEPS="curl git"'),
  // The page shows no Dockerfile (the check compares the pulled image); these are cases the Dockerfile alone proves.
  bad('InvalidBaseImagePlatform', 'FROM --platform=linux/amd64 arm64v8/alpine:3.20', 1),
  good('InvalidBaseImagePlatform', 'FROM --platform=linux/arm64 arm64v8/alpine:3.20'),
  bad(
    'RedundantTargetPlatform',
    'FROM --platform=$TARGETPLATFORM alpine:3.20 AS builder\nRUN apk add --no-cache git=2.45.2-r0',
    1,
  ),
  good('RedundantTargetPlatform', 'FROM alpine:3.20 AS builder\nRUN apk add --no-cache git=2.45.2-r0'),
  good('RedundantTargetPlatform', 'FROM --platform=$BUILDPLATFORM alpine:3.20 AS builder'),
  bad('SecretsUsedInArgOrEnv', 'FROM scratch\nARG AWS_SECRET_ACCESS_KEY', 2),
  good('SecretsUsedInArgOrEnv', 'FROM alpine:3.20\nRUN --mount=type=secret,id=build_secret ./installer.sh'),
  bad('InvalidDefaultArgInFrom', 'ARG TAG\nFROM busybox:${TAG}', 2),
  good('InvalidDefaultArgInFrom', 'ARG TAG=latest\nFROM busybox:${TAG}'),
  good('InvalidDefaultArgInFrom', 'ARG TAG\nFROM busybox:${TAG:-latest}'),
  bad(
    'FromPlatformFlagConstDisallowed',
    'FROM --platform=linux/amd64 alpine:3.20 AS base\nRUN apk add --no-cache git=2.45.2-r0',
    1,
  ),
  good('FromPlatformFlagConstDisallowed', 'FROM alpine:3.20 AS base\nRUN apk add --no-cache git=2.45.2-r0'),
  good('FromPlatformFlagConstDisallowed', 'FROM --platform=linux/amd64 alpine:3.20 AS build_amd64'),
  bad('CopyIgnoredFile', 'FROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt', 2, {
    context: IGNORE_TMP,
    differs:
      'BuildKit matches `*/tmp/*` against the source as written, where `*` swallows the leading `.`; the file is not excluded from the context (Docker cleans the path to tmp/helloworld.txt), so the COPY works and layerwise stays quiet',
  }),
  good('CopyIgnoredFile', 'FROM scratch\nCOPY ./forever/helloworld.txt /helloworld.txt', { context: IGNORE_TMP }),
  bad('CopyIgnoredFile', 'FROM scratch\nCOPY tmp/helloworld.txt /helloworld.txt', 2, {
    context: { dockerignore: 'tmp/\n', files: ['tmp/helloworld.txt'] },
  }),
  bad(
    'InvalidDefinitionDescription',
    '# a non-descriptive comment\nFROM scratch AS base\n\n# another non-descriptive comment\nARG VERSION=1',
    [2, 5],
  ),
  good(
    'InvalidDefinitionDescription',
    '# a non-descriptive comment\n\nFROM scratch AS base\n\n# another non-descriptive comment\n\nARG VERSION=1',
  ),
  good(
    'InvalidDefinitionDescription',
    '# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This is the version number.\nARG VERSION=1',
  ),
  bad('ExposeProtoCasing', 'FROM alpine:3.20\nEXPOSE 80/TcP', 2),
  good('ExposeProtoCasing', 'FROM alpine:3.20\nEXPOSE 80/tcp'),
  bad('ExposeInvalidFormat', 'FROM alpine:3.20\nEXPOSE 127.0.0.1:80:80', 2),
  good('ExposeInvalidFormat', 'FROM alpine:3.20\nEXPOSE 80'),
];
