#include "tools/sim/sim_spool.h"

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <fstream>
#include <vector>

namespace rf::sim {

SimFileWriter::~SimFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status SimFileWriter::Open(const std::string& path, bool append) {
  assert(file_ == nullptr);
  path_ = path;
  buffer_.clear();
  buffer_.reserve(kSimWriteBufferBytes);
  status_ = Status::Ok();
  file_ = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (file_ == nullptr) return Status::Io("cannot write " + path);
  return Status::Ok();
}

void SimFileWriter::Flush() {
  if (!buffer_.empty() && status_.ok() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    status_ = Status::Io("cannot write " + path_);
  }
  buffer_.clear();
}

void SimFileWriter::Write(std::string_view text) {
  assert(file_ != nullptr);
  if (buffer_.size() + text.size() > kSimWriteBufferBytes) Flush();
  if (text.size() > kSimWriteBufferBytes) {
    if (status_.ok() && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      status_ = Status::Io("cannot write " + path_);
    }
    return;
  }
  buffer_.append(text);
  buffer_peak_bytes = std::max(buffer_peak_bytes, buffer_.size());
  assert(buffer_.size() <= kSimWriteBufferBytes);
}

Status SimFileWriter::Close() {
  if (file_ == nullptr) return status_;
  Flush();
  if (std::fclose(file_) != 0 && status_.ok()) status_ = Status::Io("cannot write " + path_);
  file_ = nullptr;
  buffer_.clear();
  buffer_.shrink_to_fit();
  return status_;
}

std::string DateSpool::Path(Date on) const { return dir_ + "/" + prefix_ + on.ToIso() + ".tsv"; }

void DateSpool::Add(Date on, std::string_view record) {
  assert(record.find('\n') == std::string_view::npos);
  auto it = open_.find(on);
  if (it == open_.end()) {
    assert(open_.size() < kSimSpoolOpenMax);
    auto w = std::make_unique<SimFileWriter>();
    if (Status s = w->Open(Path(on), /*append=*/false); !s.ok() && status_.ok()) status_ = s;
    it = open_.emplace(on, std::move(w)).first;
    open_peak = std::max(open_peak, open_.size());
  }
  if (!it->second->is_open()) return;
  it->second->Write(record);
  it->second->Write("\n");
}

Status DateSpool::Take(Date last, const std::function<Status(Date, const std::string&)>& fn) {
  RF_RETURN_IF_ERROR(status_);
  while (!open_.empty() && open_.begin()->first <= last) {
    const Date on = open_.begin()->first;
    RF_RETURN_IF_ERROR(open_.begin()->second->Close());
    open_.erase(open_.begin());
    std::ifstream in(Path(on), std::ios::binary);
    if (!in) return Status::Io("cannot read " + Path(on));
    for (std::string line; std::getline(in, line);) RF_RETURN_IF_ERROR(fn(on, line));
    in.close();
    std::error_code ec;
    std::filesystem::remove(Path(on), ec);
  }
  return Status::Ok();
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t from = 0;
  for (;;) {
    const size_t tab = line.find('\t', from);
    out.push_back(line.substr(from, tab == std::string::npos ? std::string::npos : tab - from));
    if (tab == std::string::npos) return out;
    from = tab + 1;
  }
}

}  // namespace rf::sim
