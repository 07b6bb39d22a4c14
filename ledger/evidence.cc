#include "ledger/evidence.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "ledger/sha256.h"

namespace jifen::ledger {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

Status Errno(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

Status SyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Errno(path);
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  return rc == 0 ? Status::Ok() : Errno("fsync " + path);
}

}  // namespace

std::optional<ImageKind> ImageKindOf(std::string_view b) {
  if (b.size() >= 3 && StartsWith(b, "\xFF\xD8\xFF")) return ImageKind::kJpeg;
  if (StartsWith(b, "\x89PNG\r\n\x1A\n")) return ImageKind::kPng;
  if (b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WEBP") return ImageKind::kWebp;
  return std::nullopt;
}

const char* ContentTypeOf(ImageKind kind) {
  switch (kind) {
    case ImageKind::kJpeg:
      return "image/jpeg";
    case ImageKind::kPng:
      return "image/png";
    case ImageKind::kWebp:
      return "image/webp";
  }
  return "application/octet-stream";
}

bool IsSha256Hex(std::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<std::string> EvidenceHex(std::string_view evidence) {
  if (!StartsWith(evidence, kEvidencePrefix)) return std::nullopt;
  std::string_view hex = evidence.substr(kEvidencePrefix.size());
  if (!IsSha256Hex(hex)) return std::nullopt;
  return std::string(hex);
}

std::string EvidenceDir(const std::string& ledger_dir) { return ledger_dir + "/evidence"; }

std::string EvidencePath(const std::string& ledger_dir, const std::string& hex) {
  return EvidenceDir(ledger_dir) + "/" + hex;
}

Result<StoredEvidence> StoreEvidence(const std::string& ledger_dir, std::string_view bytes) {
  if (bytes.empty()) return Status::InvalidInput("evidence: empty file");
  if (bytes.size() > kEvidenceBytesMax) {
    return Status::InvalidInput("evidence: " + std::to_string(bytes.size()) + " bytes, more than " +
                                std::to_string(kEvidenceBytesMax));
  }
  if (!ImageKindOf(bytes)) return Status::InvalidInput("evidence: not a JPEG, PNG or WebP image");
  StoredEvidence out;
  out.hex = HashToHex(Sha256Of(bytes));
  std::string dir = EvidenceDir(ledger_dir);
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) return Errno("mkdir " + dir);
  std::string path = EvidencePath(ledger_dir, out.hex);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && static_cast<size_t>(st.st_size) == bytes.size()) {
    return out;  // the same bytes are already there (CheckEvidence proves a file's content)
  }
  std::string temp = dir + "/.tmp-" + out.hex + "-" + std::to_string(::getpid()) + "-" +
                     std::to_string(std::random_device{}());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("create " + temp);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = Errno("write " + temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Status s = Errno("fsync " + temp);
    ::unlink(temp.c_str());
    return s;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status s = Errno("rename " + temp);
    ::unlink(temp.c_str());
    return s;
  }
  if (Status s = SyncPath(dir, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  out.created = true;
  return out;
}

void RemoveEvidence(const std::string& ledger_dir, const std::string& hex) {
  if (IsSha256Hex(hex)) ::unlink(EvidencePath(ledger_dir, hex).c_str());
}

Result<std::string> ReadEvidence(const std::string& ledger_dir, const std::string& hex) {
  if (!IsSha256Hex(hex)) return Status::InvalidInput("evidence " + hex + ": not a SHA-256");
  std::ifstream in(EvidencePath(ledger_dir, hex), std::ios::binary);
  if (!in) return Status::InvalidInput("evidence " + hex + ": no such file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return Status::IOError("evidence " + hex + ": cannot read");
  return bytes.str();
}

Result<EvidenceReport> CheckEvidence(const std::string& ledger_dir, const Reader& reader) {
  EvidenceReport report;
  std::map<std::string, std::string> verdicts;  // hex -> "" (good) or the reason
  Status s = reader.ForEachRecord(1, [&](const Record& r) {
    for (const std::string& e : r.evidence) {
      auto hex = EvidenceHex(e);
      if (!hex) continue;
      auto [it, fresh] = verdicts.try_emplace(*hex);
      if (fresh) {
        ++report.files_checked;
        auto bytes = ReadEvidence(ledger_dir, *hex);
        if (!bytes.ok()) {
          it->second = "missing: no file evidence/" + *hex;
        } else if (HashToHex(Sha256Of(*bytes)) != *hex) {
          it->second = "altered: evidence/" + *hex + " no longer hashes to its name";
        }
      }
      if (!it->second.empty()) {
        report.problems.push_back({r.sequence, r.id, *hex, it->second});
      }
    }
    return true;
  });
  if (!s.ok()) return s;
  return report;
}

}  // namespace jifen::ledger
