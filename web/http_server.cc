#include "web/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

namespace jifen::web {

struct Exchange;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr uint64_t kDrainBytesMax = 256 * 1024;

// A client address of fixed size (IPv4 as IPv4-mapped IPv6), the key of every per-address table.
using AddressKey = std::array<uint8_t, 16>;

struct AddressKeyHash {
  size_t operator()(const AddressKey& key) const {
    uint64_t a, b;
    std::memcpy(&a, key.data(), 8);
    std::memcpy(&b, key.data() + 8, 8);
    return std::hash<uint64_t>()(a * 0x9E3779B97F4A7C15ull ^ b);
  }
};

AddressKey KeyOf(const sockaddr* address) {
  AddressKey key{};
  if (address && address->sa_family == AF_INET) {
    key[10] = key[11] = 0xff;
    std::memcpy(key.data() + 12, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, 4);
  } else if (address && address->sa_family == AF_INET6) {
    std::memcpy(key.data(), &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, 16);
  }
  return key;
}

std::string TextOf(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address && address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address && address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

// Where a connection is in its exchange, for the deadlines the watcher keeps.
enum class Phase { kIdle, kHead, kBody, kHandling, kRefused };

struct Connection {
  int fd = -1;
  AddressKey address{};
  bool proxy = false;    // a trusted proxy: no per-address cap
  bool counted = false;  // holds one of its address's share (per_address)
  Phase phase = Phase::kIdle;
  int64_t since_ms = 0;
  uint64_t body_bytes = 0;
  bool closing = false;  // shut down by the watcher
  // The request under way: made when its request line arrives, freed when it completes or, if
  // its head never came whole (the library then never completes it), with the connection.
  Exchange* exchange = nullptr;
};

}  // namespace

// One request in flight (MHD's per-request context).
struct Exchange {
  Connection* connection = nullptr;
  Request request;
  bool head_checked = false;
  size_t body_max = 0;
  uint64_t body_bytes = 0;
  int refusal = 0;  // a status to answer instead of calling the application
  MHD_PostProcessor* post = nullptr;
  std::string* filling = nullptr;  // the form value the post processor is appending to
  size_t fields = 0;
  size_t fields_max = 0;
  uint64_t drained = 0;  // body bytes dropped after a refusal
  // Handed to a write thread (HandOff); `answer` is its response, set before the connection is
  // resumed, and queued when the library calls for the request again.
  bool handed_off = false;
  std::optional<Response> answer;

  ~Exchange() {
    if (post) MHD_destroy_post_processor(post);
  }
};

struct HttpServer::Impl {
  HttpServerOptions options;
  Admit admit;
  RefusalPage refusal;
  Handler handler;
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  std::vector<AddressKey> proxies;

  std::mutex mutex;  // guards connections and per_address
  std::unordered_set<Connection*> connections;
  std::unordered_map<AddressKey, int, AddressKeyHash> per_address;

  std::mutex stop_mutex;
  std::condition_variable stop_signal;
  bool stopping = false;
  std::thread watcher;

  // The write threads (FrontDoorLimits::write_threads) and the requests waiting for one, each on
  // a suspended connection. No more wait than there are connections, one request each.
  std::mutex jobs_mutex;
  std::condition_variable jobs_ready;
  std::deque<std::pair<MHD_Connection*, Exchange*>> jobs;
  bool jobs_closed = false;  // stopping: requests are answered on their loops
  std::vector<std::thread> writers;
  int handed_off_open = 0;  // handed off and not yet completed (answer sent, or connection gone)
  std::condition_variable handed_off_done;

  bool IsProxy(const AddressKey& key) const {
    return std::find(proxies.begin(), proxies.end(), key) != proxies.end();
  }
  void Watch();
  bool Deadline(const Connection& connection, int64_t now) const;
  void Answer(MHD_Connection* mhd, Exchange& exchange);
  Response Run(Exchange& exchange);
  bool HandOff(MHD_Connection* mhd, Exchange& exchange);
  void Write();
  void StopWriters();
  void Refuse(MHD_Connection* mhd, Exchange& exchange, int status);
  void RefuseMidBody(Exchange& exchange);
  bool WaitsForClient(int fd);
  int CheckHead(MHD_Connection* mhd, Exchange& exchange);
  bool ReadBody(Exchange& exchange, const char* data, size_t size);
};

namespace {

// ---- Callbacks (C linkage through MHD; `cls` is the Impl) ----

MHD_Result AcceptPolicy(void* cls, const sockaddr* address, socklen_t) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  AddressKey key = KeyOf(address);
  if (impl->IsProxy(key)) return MHD_YES;
  std::lock_guard lock(impl->mutex);
  auto it = impl->per_address.find(key);
  if (it != impl->per_address.end() &&
      it->second >= impl->options.limits.connections_per_address_max) {
    return MHD_NO;  // closed at once; the client may come back when its others are done
  }
  return MHD_YES;
}

void NotifyConnection(void* cls, MHD_Connection* mhd, void** socket_context,
                      MHD_ConnectionNotificationCode code) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    auto* connection = new Connection();
    const MHD_ConnectionInfo* fd = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD);
    const MHD_ConnectionInfo* peer =
        MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    connection->fd = fd ? fd->connect_fd : -1;
    connection->address = KeyOf(peer ? peer->client_addr : nullptr);
    connection->proxy = impl->IsProxy(connection->address);
    connection->since_ms = NowMs();
    std::lock_guard lock(impl->mutex);
    impl->connections.insert(connection);
    if (!connection->proxy) {
      // AcceptPolicy's look is only a fast path: event loops accept at once, and two of them can
      // both see the share one short. Counting happens here, under the lock, and one past the
      // share is shut down before it is read (MHD sees the end and closes it in its own loop).
      auto it = impl->per_address.find(connection->address);
      int held = it == impl->per_address.end() ? 0 : it->second;
      if (held >= impl->options.limits.connections_per_address_max) {
        connection->closing = true;
        if (connection->fd >= 0) ::shutdown(connection->fd, SHUT_RDWR);
      } else {
        ++impl->per_address[connection->address];
        connection->counted = true;
      }
    }
    *socket_context = connection;
    return;
  }
  auto* connection = static_cast<Connection*>(*socket_context);
  if (!connection) return;
  {
    // MHD closes the socket after this returns: the watcher, holding the same lock, never shuts
    // down a descriptor that another connection has been given since.
    std::lock_guard lock(impl->mutex);
    impl->connections.erase(connection);
    if (connection->counted) {
      auto it = impl->per_address.find(connection->address);
      if (it != impl->per_address.end() && --it->second <= 0) impl->per_address.erase(it);
    }
  }
  delete connection->exchange;
  delete connection;
  *socket_context = nullptr;
}

Connection* ConnectionOf(MHD_Connection* mhd) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info ? static_cast<Connection*>(info->socket_context) : nullptr;
}

// `restart`: the phase's clock starts again even when the phase does not change.
void SetPhase(HttpServer::Impl* impl, Connection* connection, Phase phase, bool restart = true) {
  if (!connection) return;
  std::lock_guard lock(impl->mutex);
  if (!restart && connection->phase == phase) return;
  connection->phase = phase;
  connection->since_ms = NowMs();
}

// Called when a request line has arrived: the head's deadline starts.
void* RequestLine(void* cls, const char*, MHD_Connection* mhd) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  auto* exchange = new Exchange();
  exchange->connection = ConnectionOf(mhd);
  if (exchange->connection) {
    delete exchange->connection->exchange;  // one that never reached the application
    exchange->connection->exchange = exchange;
  }
  SetPhase(impl, exchange->connection, Phase::kHead);
  return exchange;
}

void RequestDone(void* cls, MHD_Connection*, void** request_context, MHD_RequestTerminationCode) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  auto* exchange = static_cast<Exchange*>(*request_context);
  if (!exchange) return;
  if (exchange->handed_off) {
    std::lock_guard lock(impl->jobs_mutex);
    --impl->handed_off_open;
    impl->handed_off_done.notify_all();
  }
  SetPhase(impl, exchange->connection, Phase::kIdle);
  if (exchange->connection) exchange->connection->exchange = nullptr;
  delete exchange;
  *request_context = nullptr;
}

struct HeaderCount {
  Request* request;
  int lines = 0;
};

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, size_t key_size,
                         const char* value, size_t value_size) {
  auto* count = static_cast<HeaderCount*>(cls);
  ++count->lines;
  std::string name(key, key_size);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  count->request->headers.emplace(std::move(name), std::string(value ? value : "", value_size));
  return MHD_YES;
}

MHD_Result CollectParam(void* cls, MHD_ValueKind, const char* key, size_t key_size,
                        const char* value, size_t value_size) {
  auto* request = static_cast<Request*>(cls);
  request->params.emplace(std::string(key, key_size), std::string(value ? value : "", value_size));
  return MHD_YES;
}

MHD_Result CollectField(void* cls, MHD_ValueKind, const char* key, const char* filename,
                        const char* content_type, const char*, const char* data, uint64_t off,
                        size_t size) {
  auto* exchange = static_cast<Exchange*>(cls);
  if (off == 0 || !exchange->filling) {
    if (++exchange->fields > exchange->fields_max) return MHD_NO;
    Request& request = exchange->request;
    std::string name = key ? key : "";
    if (filename) {  // a file of a multipart form (a photo)
      FormPart part{filename, content_type ? content_type : "", ""};
      exchange->filling = &request.parts.emplace(std::move(name), std::move(part))->second.content;
    } else {
      exchange->filling = &request.params.emplace(std::move(name), std::string())->second;
    }
  }
  exchange->filling->append(data, size);
  return MHD_YES;
}

void Queue(MHD_Connection* mhd, const Response& response, bool close);

MHD_Result OnRequest(void* cls, MHD_Connection* mhd, const char* url, const char* method,
                     const char*, const char* upload_data, size_t* upload_data_size,
                     void** request_context) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  auto* exchange = static_cast<Exchange*>(*request_context);
  if (!exchange) return MHD_NO;  // the URI callback always makes one
  if (!exchange->head_checked) {
    exchange->head_checked = true;
    exchange->request.method = method;
    exchange->request.path = url;
    if (int status = impl->CheckHead(mhd, *exchange)) {
      if (status > 0) impl->Refuse(mhd, *exchange, status);
      return MHD_YES;
    }
    SetPhase(impl, exchange->connection, Phase::kBody);
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    size_t size = *upload_data_size;
    *upload_data_size = 0;
    if (exchange->refusal) {
      // Answered already: what follows is dropped, a little of it so that the client can read
      // the answer before the connection closes, never more than kDrainBytesMax or 2 seconds.
      exchange->drained += size;
      if (exchange->drained > kDrainBytesMax) return MHD_NO;
      SetPhase(impl, exchange->connection, Phase::kRefused, false);
      return MHD_YES;
    }
    if (impl->ReadBody(*exchange, upload_data, size)) return MHD_YES;
    // Refused part-way through the body (a chunked body past its limit, too many fields). The
    // library sends a response only once a body has been read whole, so the refusal is written
    // on the socket here, and the connection closed, reading no more.
    impl->RefuseMidBody(*exchange);
    return MHD_NO;
  }
  if (exchange->refusal) return MHD_YES;
  if (exchange->handed_off) {  // resumed: the write thread's answer
    if (exchange->answer) Queue(mhd, *exchange->answer, false);
    return MHD_YES;
  }
  SetPhase(impl, exchange->connection, Phase::kHandling);
  if (impl->HandOff(mhd, *exchange)) return MHD_YES;
  impl->Answer(mhd, *exchange);
  return MHD_YES;
}

void LogFromMhd(void*, const char* format, va_list arguments) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, arguments);
  std::string line(text);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  spdlog::debug("http: {}", line);
}

}  // namespace

namespace {

void Queue(MHD_Connection* mhd, const Response& response, bool close) {
  MHD_Response* answer = MHD_create_response_from_buffer(
      response.body.size(), const_cast<char*>(response.body.data()), MHD_RESPMEM_MUST_COPY);
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(answer, name.c_str(), value.c_str());
  }
  if (close) MHD_add_response_header(answer, MHD_HTTP_HEADER_CONNECTION, "close");
  MHD_queue_response(mhd, static_cast<unsigned>(response.status), answer);
  MHD_destroy_response(answer);
}

}  // namespace

// ---- The checks ----

namespace {

// The client's address: the peer's, or the last hop of X-Forwarded-For from a trusted proxy.
std::string ClientAddress(MHD_Connection* mhd, const Connection* connection,
                          const Request& request) {
  const MHD_ConnectionInfo* peer = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  std::string address = TextOf(peer ? peer->client_addr : nullptr);
  if (!connection || !connection->proxy) return address;
  std::string forwarded = request.Header("x-forwarded-for");
  size_t comma = forwarded.rfind(',');
  std::string last = forwarded.substr(comma == std::string::npos ? 0 : comma + 1);
  last.erase(0, last.find_first_not_of(" \t"));
  last.erase(last.find_last_not_of(" \t") + 1);
  in6_addr parsed6;
  in_addr parsed4;
  if (inet_pton(AF_INET, last.c_str(), &parsed4) == 1 ||
      inet_pton(AF_INET6, last.c_str(), &parsed6) == 1) {
    return last;
  }
  return address;
}

}  // namespace

// The head is whole: its size, the application's admission, the framing of the body to come and
// its limit. Returns 0 to read the body, a status to refuse with, or -1 when already answered.
int HttpServer::Impl::CheckHead(MHD_Connection* mhd, Exchange& exchange) {
  Request& request = exchange.request;
  HeaderCount count{&request};
  MHD_get_connection_values_n(mhd, MHD_HEADER_KIND, CollectHeader, &count);
  const MHD_ConnectionInfo* size =
      MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
  if (count.lines > options.limits.header_lines_max ||
      (size && size->header_size > options.limits.header_bytes_max)) {
    return MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE;
  }
  MHD_get_connection_values_n(mhd, MHD_GET_ARGUMENT_KIND, CollectParam, &request);
  request.remote_addr = ClientAddress(mhd, exchange.connection, request);
  std::string length = request.Header("content-length");
  bool chunked = !request.Header("transfer-encoding").empty();
  bool body_pending = chunked || (!length.empty() && length != "0");
  if (request.headers.count("content-encoding")) return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
  Response early;
  early.status = 0;
  if (!admit(request, &exchange.body_max, &early)) {
    exchange.refusal = early.status;
    Queue(mhd, early, body_pending);
    return -1;
  }
  // Without framing, HTTP/1.1 says the body is empty; a POST that sends one anyway would be
  // read as the next request. Ask for the length instead.
  if (length.empty() && !chunked) return request.method == "POST" ? MHD_HTTP_LENGTH_REQUIRED : 0;
  if (!length.empty() &&
      (length.size() > 12 || length.find_first_not_of("0123456789") != std::string::npos ||
       std::stoull(length) > exchange.body_max)) {
    return MHD_HTTP_CONTENT_TOO_LARGE;
  }
  std::string type = request.Header("content-type");
  request.multipart = type.rfind("multipart/form-data", 0) == 0;
  exchange.fields_max = options.limits.form_fields_max;
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0 || request.multipart) {
    exchange.post = MHD_create_post_processor(mhd, 64 * 1024, CollectField, &exchange);
    if (!exchange.post) return MHD_HTTP_BAD_REQUEST;  // e.g. a multipart type without boundary
  }
  return 0;
}

// Counts body bytes as they arrive, chunked or not; false (with exchange.refusal) to refuse.
bool HttpServer::Impl::ReadBody(Exchange& exchange, const char* data, size_t size) {
  exchange.body_bytes += size;
  if (exchange.connection) {
    std::lock_guard lock(mutex);
    exchange.connection->body_bytes = exchange.body_bytes;
  }
  if (exchange.body_bytes > exchange.body_max) {
    exchange.refusal = MHD_HTTP_CONTENT_TOO_LARGE;
    return false;
  }
  if (exchange.post) {
    if (MHD_post_process(exchange.post, data, size) != MHD_YES) {
      exchange.refusal =
          exchange.fields > options.limits.form_fields_max ? MHD_HTTP_CONTENT_TOO_LARGE : 400;
      return false;
    }
  } else {
    exchange.request.body.append(data, size);
  }
  return true;
}

void HttpServer::Impl::Refuse(MHD_Connection* mhd, Exchange& exchange, int status) {
  exchange.refusal = status;
  Response response;
  response.status = status;
  refusal(status, exchange.request, response);
  spdlog::info("http: {} {} {} from {}", status, exchange.request.method, exchange.request.path,
               exchange.request.remote_addr);
  Queue(mhd, response, true);
}

void HttpServer::Impl::RefuseMidBody(Exchange& exchange) {
  Response response;
  response.status = exchange.refusal;
  refusal(exchange.refusal, exchange.request, response);
  spdlog::info("http: {} {} {} from {} (after {} body bytes)", exchange.refusal,
               exchange.request.method, exchange.request.path, exchange.request.remote_addr,
               exchange.body_bytes);
  if (!options.cert_pem.empty() || !exchange.connection || exchange.connection->fd < 0) return;
  // Nothing of this request's answer has been sent, and an earlier request's answer was sent
  // whole before this request was read: these bytes are next on the connection.
  std::string bytes = "HTTP/1.1 " + std::to_string(response.status) +
                      (response.status == 413 ? " Content Too Large" : " Bad Request") + "\r\n";
  for (const auto& [name, value] : response.headers) bytes += name + ": " + value + "\r\n";
  bytes += "Content-Length: " + std::to_string(response.body.size()) +
           "\r\nConnection: close\r\n\r\n" + response.body;
  ::send(exchange.connection->fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

Response HttpServer::Impl::Run(Exchange& exchange) {
  if (exchange.post) MHD_post_process(exchange.post, nullptr, 0);
  Response response;
  try {
    handler(exchange.request, response);
  } catch (const std::exception& e) {
    spdlog::error("http: {} {}: {}", exchange.request.method, exchange.request.path, e.what());
    response = Response();
    response.status = 500;
    refusal(500, exchange.request, response);
  }
  return response;
}

void HttpServer::Impl::Answer(MHD_Connection* mhd, Exchange& exchange) {
  Queue(mhd, Run(exchange), false);
}

// A request other than GET or HEAD goes to a write thread, its connection suspended until the
// answer is queued (libmicrohttpd's flow control: no callback may block its loop). False: answer
// it here (no write threads, or stopping).
bool HttpServer::Impl::HandOff(MHD_Connection* mhd, Exchange& exchange) {
  const std::string& method = exchange.request.method;
  if (writers.empty() || method == "GET" || method == "HEAD") return false;
  std::lock_guard lock(jobs_mutex);
  if (jobs_closed) return false;
  exchange.handed_off = true;
  ++handed_off_open;
  MHD_suspend_connection(mhd);
  jobs.emplace_back(mhd, &exchange);
  jobs_ready.notify_one();
  return true;
}

void HttpServer::Impl::Write() {
  for (;;) {
    std::pair<MHD_Connection*, Exchange*> job;
    {
      std::unique_lock lock(jobs_mutex);
      jobs_ready.wait(lock, [&] { return jobs_closed || !jobs.empty(); });
      if (jobs.empty()) return;  // closed, and every request handed off has been answered
      job = jobs.front();
      jobs.pop_front();
    }
    // The exchange lives until its request completes, which cannot happen before the resume;
    // the answer is queued by the connection's own loop, which calls for the request again.
    job.second->answer = Run(*job.second);
    MHD_resume_connection(job.first);
  }
}

// Every request handed off is answered and its connection resumed (libmicrohttpd must not be
// stopped with a connection suspended), and its answer sent, for up to 2 seconds: a write
// acknowledged as the server stops is not left unsaid. Later requests are answered on their loops.
void HttpServer::Impl::StopWriters() {
  {
    std::lock_guard lock(jobs_mutex);
    jobs_closed = true;
  }
  jobs_ready.notify_all();
  for (std::thread& writer : writers) {
    if (writer.joinable()) writer.join();
  }
  std::unique_lock lock(jobs_mutex);
  handed_off_done.wait_for(lock, std::chrono::seconds(2), [&] { return handed_off_open == 0; });
}

// ---- The watcher: deadlines no client can stretch ----

bool HttpServer::Impl::Deadline(const Connection& connection, int64_t now) const {
  const FrontDoorLimits& limits = options.limits;
  int64_t elapsed = now - connection.since_ms;
  switch (connection.phase) {
    case Phase::kIdle:
      return elapsed > limits.idle_seconds_max * 1000;
    case Phase::kHead:
      return elapsed > limits.header_seconds_max * 1000;
    case Phase::kBody:
      return elapsed > limits.body_seconds_grace * 1000 &&
             connection.body_bytes * 1000 <
                 static_cast<uint64_t>(elapsed) * limits.body_bytes_per_second_min;
    case Phase::kHandling:
      return false;
    case Phase::kRefused:
      return elapsed > 2000;
  }
  return false;
}

void HttpServer::Impl::Watch() {
  std::unique_lock stop_lock(stop_mutex);
  while (
      !stop_signal.wait_for(stop_lock, std::chrono::milliseconds(250), [&] { return stopping; })) {
    int64_t now = NowMs();
    std::lock_guard lock(mutex);
    for (Connection* connection : connections) {
      if (connection->closing || connection->fd < 0 || !Deadline(*connection, now)) continue;
      connection->closing = true;
      ::shutdown(connection->fd, SHUT_RDWR);  // MHD sees the end and closes it in its own loop
    }
  }
}

// ---- Start, stop, HandleRaw ----

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->stop_signal.notify_all();
  if (impl_->watcher.joinable()) impl_->watcher.join();
  impl_->StopWriters();
  if (impl_->daemon) MHD_stop_daemon(impl_->daemon);
  impl_->daemon = nullptr;
}

namespace {

// Enough descriptors for every connection the door admits.
int RaiseDescriptorLimit(int wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  rlim_t target = std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(wanted));
  if (limit.rlim_cur < target) {
    limit.rlim_cur = target;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
}

Result<sockaddr_storage> Resolve(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    return Status::InvalidInput("serve: cannot use address " + host);
  }
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  return address;
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options, Admit admit,
                                                      RefusalPage refusal, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->admit = std::move(admit);
  impl->refusal = std::move(refusal);
  impl->handler = std::move(handler);
  for (const std::string& proxy : options.trusted_proxies) {
    auto address = Resolve(proxy, 0);
    if (!address.ok()) return Status::Usage("serve: --trusted-proxy " + proxy + ": not an address");
    impl->proxies.push_back(KeyOf(reinterpret_cast<const sockaddr*>(&*address)));
  }
  FrontDoorLimits& limits = impl->options.limits;
  int descriptors = RaiseDescriptorLimit(limits.connections_max + 256);
  limits.connections_max = std::min(limits.connections_max, descriptors - 128);

  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
  sockaddr_storage address{};
  if (options.listen) {
    auto resolved = Resolve(options.host, options.port);
    if (!resolved.ok()) return resolved.status();
    address = *resolved;
    if (address.ss_family == AF_INET6) flags |= MHD_USE_DUAL_STACK;  // "::" takes IPv4 too
  } else {
    flags |= MHD_USE_NO_LISTEN_SOCKET;
  }
  if (!options.cert_pem.empty()) flags |= MHD_USE_TLS;
  Impl* raw = impl.get();
  std::vector<MHD_OptionItem> items = {
      {MHD_OPTION_CONNECTION_LIMIT, limits.connections_max, nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT, limits.idle_seconds_max + limits.header_seconds_max, nullptr},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT,
       static_cast<intptr_t>(limits.header_bytes_max * 2 + 16 * 1024), nullptr},
      {MHD_OPTION_THREAD_POOL_SIZE, limits.event_threads, nullptr},
      {MHD_OPTION_LISTEN_BACKLOG_SIZE, SOMAXCONN, nullptr},
      {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&NotifyConnection), raw},
      {MHD_OPTION_URI_LOG_CALLBACK, reinterpret_cast<intptr_t>(&RequestLine), raw},
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&RequestDone), raw},
      {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&LogFromMhd), nullptr},
  };
  if (options.listen) {
    items.push_back({MHD_OPTION_SOCK_ADDR, 0, &address});
    // SO_REUSEADDR only (the library's default): a restart binds at once, but a second server
    // started by mistake on the same port is refused instead of sharing it (SO_REUSEPORT would
    // hand it half the office's connections, silently).
  }
  if (!options.cert_pem.empty()) {
    items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(raw->options.key_pem.c_str())});
    items.push_back(
        {MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(raw->options.cert_pem.c_str())});
  }
  items.push_back({MHD_OPTION_END, 0, nullptr});
  impl->daemon = MHD_start_daemon(flags, static_cast<uint16_t>(options.port), &AcceptPolicy, raw,
                                  &OnRequest, raw, MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
  if (!impl->daemon) {
    if (!options.cert_pem.empty())
      return Status::InvalidInput("serve: cannot serve HTTPS with this certificate and key");
    return Status::IOError("serve: cannot bind " + options.host + ":" +
                           std::to_string(options.port) + ": " + std::strerror(errno));
  }
  if (options.listen) {
    const MHD_DaemonInfo* info = MHD_get_daemon_info(impl->daemon, MHD_DAEMON_INFO_BIND_PORT);
    impl->port = info ? info->port : options.port;
  }
  for (int i = 0; i < limits.write_threads; ++i) {
    impl->writers.emplace_back([raw] { raw->Write(); });
  }
  impl->watcher = std::thread([raw] { raw->Watch(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

// Whether the connection on `fd` waits for its client: every byte sent has been read from the
// socket and no handler is running (the connection closed counts too).
bool HttpServer::Impl::WaitsForClient(int fd) {
  int unread = 0;
  if (::ioctl(fd, FIONREAD, &unread) != 0 || unread > 0) return false;
  std::lock_guard lock(mutex);
  for (const Connection* connection : connections) {
    if (connection->fd == fd) return connection->phase != Phase::kHandling;
  }
  return false;  // not yet admitted, or closed: the socket says which
}

std::string HttpServer::HandleRaw(const std::string& bytes) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return "";
  sockaddr_in loopback{};
  loopback.sin_family = AF_INET;
  loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (MHD_add_connection(impl_->daemon, pair[0], reinterpret_cast<sockaddr*>(&loopback),
                         sizeof loopback) != MHD_YES) {
    ::close(pair[1]);
    return "";
  }
  std::atomic<bool> written{false};
  std::thread writer([&] {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(pair[1], bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    written = true;
  });
  // Read until the server closes, or until it has read everything and waits for more (an
  // incomplete request, or a kept-alive connection) for kQuiet. The server's thread may have
  // taken the bytes off the socket and not yet parsed them, which looks the same from here for
  // as long as the scheduler keeps it waiting: kQuiet is well past a busy machine's time slice.
  constexpr auto kQuiet = std::chrono::milliseconds(150);
  std::string answer;
  char buffer[16384];
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto quiet_since = std::chrono::steady_clock::now();
  bool was_waiting = false;
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (now >= give_up || (was_waiting && now - quiet_since >= kQuiet)) break;
    pollfd wait{pair[1], POLLIN, 0};
    if (::poll(&wait, 1, 5) > 0) {
      ssize_t n = ::recv(pair[1], buffer, sizeof buffer, 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<size_t>(n));
      was_waiting = false;
      continue;
    }
    bool waiting = written && impl_->WaitsForClient(pair[0]);
    if (waiting && !was_waiting) quiet_since = std::chrono::steady_clock::now();
    was_waiting = waiting;
  }
  ::shutdown(pair[1], SHUT_RDWR);
  writer.join();
  ::close(pair[1]);
  return answer;
}

}  // namespace jifen::web
