#!/bin/sh
# A pipeline stage built from plain Unix tools (stdin = "payload": only the data lines arrive).
# Each line is upper-cased and published on "shouts".
exec sed -u 's/.*/"shouts": \U&/'
