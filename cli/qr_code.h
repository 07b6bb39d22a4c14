// QR codes as SVG, through libqrencode loaded with dlopen when a command draws one (`cards`,
// `board`), so that no other command loads it.
#pragma once

#include <qrencode.h>

#include <string>

#include "util/status.h"

namespace jifen::cli {

struct Qrencode {
  decltype(&QRcode_encodeString) encode = nullptr;
  decltype(&QRcode_free) free = nullptr;
};

// IOError naming the Debian package when libqrencode.so.4 is missing.
Result<Qrencode> LoadQrencode();

// The QR code of `text` as an SVG of its modules (a quiet zone of 4), one path. `standalone`
// adds the SVG namespace, which an SVG inside an HTML5 page does not need.
Result<std::string> QrSvg(const Qrencode& qr, const std::string& text, bool standalone);

}  // namespace jifen::cli
