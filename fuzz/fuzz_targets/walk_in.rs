#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mtp_web::fuzz::walk_in(data));
