#include "cli/qr_code.h"

#include <dlfcn.h>

#include <sstream>

namespace jifen::cli {

Result<Qrencode> LoadQrencode() {
  void* handle = dlopen("libqrencode.so.4", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return Status::IOError(std::string("cannot load libqrencode: ") + dlerror() +
                           " (install the Debian package libqrencode4)");
  }
  Qrencode q;
  q.encode = reinterpret_cast<decltype(q.encode)>(dlsym(handle, "QRcode_encodeString"));
  q.free = reinterpret_cast<decltype(q.free)>(dlsym(handle, "QRcode_free"));
  if (!q.encode || !q.free)
    return Status::IOError("libqrencode.so.4 lacks QRcode_encodeString");
  return q;
}

// The QR code of `text` as an SVG of its modules (a quiet zone of 4), one path.
Result<std::string> QrSvg(const Qrencode& qr, const std::string& text, bool standalone) {
  QRcode* code = qr.encode(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == nullptr)
    return Status::InvalidInput("cannot encode " + text + " as a QR code");
  int n = code->width, size = n + 8;
  std::ostringstream path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (code->data[y * n + x] & 1) path << 'M' << x + 4 << ' ' << y + 4 << "h1v1h-1z";
    }
  }
  qr.free(code);
  std::ostringstream svg;
  svg << "<svg " << (standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "") << "viewBox=\"0 0 " << size << ' ' << size
      << "\" shape-rendering=\"crispEdges\" class=\"qr\"><rect width=\"" << size << "\" height=\""
      << size << "\" fill=\"#fff\"/><path d=\"" << path.str() << "\" fill=\"#000\"/></svg>";
  return svg.str();
}

}  // namespace jifen::cli
