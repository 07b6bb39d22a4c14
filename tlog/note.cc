#include "tlog/note.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "ledger/sha256.h"

namespace jifen::tlog {
namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94";  // U+2014
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

std::string HexId(uint32_t id) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", id);
  return text;
}

std::optional<uint32_t> ParseHexId(std::string_view text) {
  if (text.size() != 8) return std::nullopt;
  uint32_t id = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    id = id << 4 | static_cast<uint32_t>(digit);
  }
  return id;
}

uint32_t BigEndian32(std::string_view bytes) {
  return static_cast<uint32_t>(static_cast<uint8_t>(bytes[0])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[3]));
}

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(value >> (8 * i)));
}

// The message a cosignature signs (c2sp.org/tlog-cosignature, "Ed25519 signed message").
std::string CosignedMessage(std::string_view text, uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(text);
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.empty()) return std::string();
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  out.resize(static_cast<size_t>(n) - padding);
  // EVP_DecodeBlock skips spaces and ignores stray bits: only the one canonical text is taken.
  if (Base64Encode(out) != text) return std::nullopt;
  return out;
}

uint32_t KeyId(std::string_view name, uint8_t type, const PublicKey& public_key) {
  std::string input(name);
  input.push_back('\n');
  input.push_back(static_cast<char>(type));
  input.append(Bytes(public_key.data(), public_key.size()));
  ledger::Hash h = ledger::Sha256Of(input);
  return BigEndian32(Bytes(h.data(), 4));
}

bool ValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c == '+' || c == 0x7f) return false;
  }
  // Unicode spaces outside ASCII: U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028/9, U+202F,
  // U+205F, U+3000. Names are ASCII in practice; refuse any of these rather than decode them all.
  for (std::string_view space : {"\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80", "\xE2\x81\x9F",
                                 "\xE3\x80\x80"}) {
    if (name.find(space) != std::string_view::npos) return false;
  }
  return true;
}

Result<SignerKey> GenerateSignerKey(std::string name, uint8_t type) {
  if (!ValidKeyName(name))
    return Status::InvalidInput("key name \"" + name + "\": empty, or holds a space or '+'");
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  SignerKey key;
  size_t seed_bytes = key.seed.size(), public_bytes = key.public_key.size();
  if (!pkey || EVP_PKEY_get_raw_private_key(pkey.get(), key.seed.data(), &seed_bytes) != 1 ||
      EVP_PKEY_get_raw_public_key(pkey.get(), key.public_key.data(), &public_bytes) != 1) {
    return Status::IOError("Ed25519 key generation failed (OpenSSL)");
  }
  key.name = std::move(name);
  key.type = type;
  key.key_id = KeyId(key.name, type, key.public_key);
  return key;
}

std::string FormatSignerKey(const SignerKey& key) {
  std::string material(1, static_cast<char>(key.type));
  material.append(Bytes(key.seed.data(), key.seed.size()));
  return std::string(kPrivatePrefix) + key.name + "+" + HexId(key.key_id) + "+" +
         Base64Encode(material);
}

// "NAME+KEYID+BASE64": names hold no '+', the key id is 8 hex digits; base64 may hold '+'.
static bool SplitKey(std::string_view text, std::string_view* name, std::string_view* id,
              std::string_view* material) {
  size_t plus = text.find('+');
  if (plus == std::string_view::npos || text.size() < plus + 10 || text[plus + 9] != '+')
    return false;
  *name = text.substr(0, plus);
  *id = text.substr(plus + 1, 8);
  *material = text.substr(plus + 10);
  return true;
}

Result<SignerKey> ParseSignerKey(std::string_view text) {
  auto bad = [](const std::string& why) { return Status::InvalidInput("signer key: " + why); };
  std::string_view name, id_text, material_text;
  if (!text.starts_with(kPrivatePrefix) ||
      !SplitKey(text.substr(kPrivatePrefix.size()), &name, &id_text, &material_text))
    return bad("expected PRIVATE+KEY+NAME+KEYID+KEY");
  auto material = Base64Decode(material_text);
  if (!material || material->size() != 33) return bad("key material is not 33 bytes of base64");
  SignerKey key;
  key.type = static_cast<uint8_t>((*material)[0]);
  if (key.type != kEd25519Type && key.type != kCosignatureType) return bad("not an Ed25519 key");
  std::memcpy(key.seed.data(), material->data() + 1, key.seed.size());
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.seed.data(),
                                         key.seed.size()));
  size_t public_bytes = key.public_key.size();
  if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), key.public_key.data(), &public_bytes) != 1)
    return bad("not an Ed25519 key");
  key.name = std::string(name);
  if (!ValidKeyName(key.name)) return bad("bad name \"" + key.name + "\"");
  key.key_id = KeyId(key.name, key.type, key.public_key);
  auto id = ParseHexId(id_text);
  if (!id || *id != key.key_id) return bad("key id does not match the key");
  return key;
}

VerifierKey VerifierOf(const SignerKey& key) {
  return VerifierKey{key.name, key.type, key.public_key, key.key_id};
}

std::string FormatVerifierKey(const VerifierKey& key) {
  std::string material(1, static_cast<char>(key.type));
  material.append(Bytes(key.public_key.data(), key.public_key.size()));
  return key.name + "+" + HexId(key.key_id) + "+" + Base64Encode(material);
}

Result<VerifierKey> ParseVerifierKey(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidInput("verifier key \"" + std::string(text) + "\": " + why);
  };
  std::string_view name, id_text, material_text;
  if (!SplitKey(text, &name, &id_text, &material_text))
    return bad("expected NAME+KEYID+KEY (as `jifen key` prints it)");
  VerifierKey key;
  key.name = std::string(name);
  if (!ValidKeyName(key.name)) return bad("bad name");
  auto id = ParseHexId(id_text);
  if (!id) return bad("key id is not 8 lowercase hex digits");
  auto material = Base64Decode(material_text);
  if (!material || material->size() != 33) return bad("key is not 33 bytes of base64");
  key.type = static_cast<uint8_t>((*material)[0]);
  if (key.type != kEd25519Type && key.type != kCosignatureType)
    return bad("not an Ed25519 key (type " + std::to_string(key.type) + ")");
  std::memcpy(key.public_key.data(), material->data() + 1, key.public_key.size());
  key.key_id = KeyId(key.name, key.type, key.public_key);
  if (key.key_id != *id) return bad("key id does not match the key");
  return key;
}

std::string Ed25519Sign(const SignerKey& key, std::string_view message) {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.seed.data(),
                                         key.seed.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  std::string signature(64, '\0');
  size_t size = signature.size();
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      size != 64) {
    std::abort();  // signing in memory with a valid key cannot fail
  }
  return signature;
}

bool Ed25519Verify(const PublicKey& public_key, std::string_view message,
                   std::string_view signature) {
  if (signature.size() != 64) return false;
  Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(),
                                        public_key.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  return pkey && ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

Result<Note> ParseNote(std::string_view note) {
  auto bad = [](const std::string& why) { return Status::InvalidInput("signed note: " + why); };
  for (unsigned char c : note) {
    if (c < 0x20 && c != '\n') return bad("holds a control character");
  }
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos || !note.ends_with('\n'))
    return bad("no blank line before the signatures, or no final line break");
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view rest = note.substr(split + 2);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (!line.starts_with(kEmDash) || line.size() <= kEmDash.size() + 1 ||
        line[kEmDash.size()] != ' ')
      return bad("signature line does not start with \"— \": " + std::string(line));
    line.remove_prefix(kEmDash.size() + 1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return bad("signature line without a signature");
    NoteSignature signature;
    signature.name = std::string(line.substr(0, space));
    auto bytes = Base64Decode(line.substr(space + 1));
    if (!ValidKeyName(signature.name) || !bytes || bytes->size() < 5)
      return bad("bad signature line for \"" + signature.name + "\"");
    signature.key_id = BigEndian32(*bytes);
    signature.bytes = bytes->substr(4);
    out.signatures.push_back(std::move(signature));
  }
  if (out.signatures.empty()) return bad("no signatures");
  return out;
}

std::string SignatureLine(const NoteSignature& signature) {
  std::string bytes;
  AppendBigEndian(signature.key_id, 4, &bytes);
  bytes += signature.bytes;
  return std::string(kEmDash) + " " + signature.name + " " + Base64Encode(bytes) + "\n";
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& s : note.signatures) out += SignatureLine(s);
  return out;
}

NoteSignature SignNoteText(const SignerKey& key, std::string_view text) {
  return NoteSignature{key.name, key.key_id, Ed25519Sign(key, text)};
}

bool NoteSignedBy(const Note& note, const VerifierKey& key) {
  if (key.type != kEd25519Type) return false;
  for (const NoteSignature& s : note.signatures) {
    if (s.name == key.name && s.key_id == key.key_id &&
        Ed25519Verify(key.public_key, note.text, s.bytes))
      return true;
  }
  return false;
}

NoteSignature Cosign(const SignerKey& key, std::string_view text, uint64_t timestamp) {
  std::string bytes;
  AppendBigEndian(timestamp, 8, &bytes);
  bytes += Ed25519Sign(key, CosignedMessage(text, timestamp));
  return NoteSignature{key.name, key.key_id, bytes};
}

bool CosignedBy(const Note& note, const VerifierKey& key, uint64_t* timestamp) {
  if (key.type != kCosignatureType) return false;
  for (const NoteSignature& s : note.signatures) {
    if (s.name != key.name || s.key_id != key.key_id || s.bytes.size() != 8 + 64) continue;
    uint64_t t = uint64_t{BigEndian32(s.bytes)} << 32 | BigEndian32(s.bytes.substr(4));
    if (t < (uint64_t{1} << 63) &&
        Ed25519Verify(key.public_key, CosignedMessage(note.text, t), s.bytes.substr(8))) {
      *timestamp = t;
      return true;
    }
  }
  return false;
}

}  // namespace jifen::tlog
