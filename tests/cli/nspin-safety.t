#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nspin-safety.t - placeholder
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nspin-lib.sh"
finish
