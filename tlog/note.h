// Signed notes (c2sp.org/signed-note) with Ed25519 keys through OpenSSL's EVP interface, and the
// timestamped Ed25519 cosignatures of c2sp.org/tlog-cosignature. Keys are written as Go's
// golang.org/x/mod/sumdb/note writes them: a verifier key `NAME+KEYID+BASE64(TYPE || PUBLIC KEY)`
// (KEYID 8 hex digits) and a signer key `PRIVATE+KEY+NAME+KEYID+BASE64(TYPE || SEED)`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace jifen::tlog {

// RFC 4648 §4 base64 with padding (OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock).
std::string Base64Encode(std::string_view bytes);
// Strict: only the standard alphabet, padded, no spaces or line breaks; nullopt otherwise.
std::optional<std::string> Base64Decode(std::string_view text);

// Signature types of c2sp.org/signed-note.
inline constexpr uint8_t kEd25519Type = 0x01;
inline constexpr uint8_t kCosignatureType = 0x04;  // c2sp.org/tlog-cosignature, Ed25519

using PublicKey = std::array<uint8_t, 32>;

struct VerifierKey {
  std::string name;
  uint8_t type = kEd25519Type;
  PublicKey public_key{};
  uint32_t key_id = 0;
};

struct SignerKey {
  std::string name;
  uint8_t type = kEd25519Type;
  std::array<uint8_t, 32> seed{};  // the RFC 8032 private key
  PublicKey public_key{};
  uint32_t key_id = 0;
};

// SHA-256(name || 0x0A || type || public key)[:4], big-endian.
uint32_t KeyId(std::string_view name, uint8_t type, const PublicKey& public_key);
// A key name may not be empty, nor hold spaces, '+' or control characters.
bool ValidKeyName(std::string_view name);

// A new random key (OpenSSL's RAND via EVP_PKEY_keygen). InvalidInput for a bad name.
Result<SignerKey> GenerateSignerKey(std::string name, uint8_t type);
std::string FormatSignerKey(const SignerKey& key);
Result<SignerKey> ParseSignerKey(std::string_view text);
VerifierKey VerifierOf(const SignerKey& key);
std::string FormatVerifierKey(const VerifierKey& key);
// InvalidInput naming what is wrong: the form, the type, a key id that does not match.
Result<VerifierKey> ParseVerifierKey(std::string_view text);

// Ed25519 (RFC 8032) over `message`.
std::string Ed25519Sign(const SignerKey& key, std::string_view message);
bool Ed25519Verify(const PublicKey& public_key, std::string_view message,
                   std::string_view signature);

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string bytes;  // after the key id
};
struct Note {
  std::string text;  // ends with '\n'
  std::vector<NoteSignature> signatures;
};

// Splits a signed note into its text and signature lines; InvalidInput naming the fault.
Result<Note> ParseNote(std::string_view note);
// The note's text followed by its signature lines.
std::string FormatNote(const Note& note);
// The signature line "— NAME BASE64(KEYID || SIGNATURE)\n".
std::string SignatureLine(const NoteSignature& signature);

// Signs `text` (a note text, ending in '\n') with an Ed25519 note key: the signature to add.
NoteSignature SignNoteText(const SignerKey& key, std::string_view text);
// True when one of the note's signatures is by `key` (same name and key id) and verifies.
// Signatures by other keys are ignored, as c2sp.org/signed-note says.
bool NoteSignedBy(const Note& note, const VerifierKey& key);

// A c2sp.org/tlog-cosignature of a checkpoint's text at POSIX time `timestamp`.
NoteSignature Cosign(const SignerKey& key, std::string_view text, uint64_t timestamp);
// True when one of the note's signatures is a valid cosignature by `key`; sets *timestamp.
bool CosignedBy(const Note& note, const VerifierKey& key, uint64_t* timestamp);

}  // namespace jifen::tlog
