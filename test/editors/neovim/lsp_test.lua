-- Headless Neovim (0.7+) against the standalone language server. Run by run.sh:
--   nvim --headless --clean -n -c 'luafile test/editors/neovim/lsp_test.lua' <workspace>/uwsgi.ini
-- Env: UWSGI_NGINX_SERVER (the server bundle), UWSGI_NGINX_WORKSPACE (a copy of fixture/).
-- Prints one line per check ("ok   ..." / "FAIL ..."), then "lsp_test: finished ...";
-- ends with :qall! when every check passed, :cquit 1 otherwise. Every wait is bounded.

local WAIT_DIAGNOSTICS_MS = 15000
local REQUEST_TIMEOUT_MS = 5000

local passed, failed = 0, 0

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    io.write('ok   ', name, '\n')
  else
    failed = failed + 1
    io.write('FAIL ', name, detail and (': ' .. tostring(detail)) or '', '\n')
  end
  io.flush()
end

local function info(text)
  io.write('     ', text, '\n')
  io.flush()
end

local function finish()
  io.write(string.format('lsp_test: finished, %d passed, %d failed\n', passed, failed))
  io.flush()
  pcall(function()
    local clients = vim.lsp.get_active_clients()
    for _, client in ipairs(clients) do client.stop() end
    vim.wait(2000, function()
      for _, client in ipairs(clients) do
        if not client.is_stopped() then return false end
      end
      return true
    end, 50)
  end)
  if failed == 0 and passed > 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit 1')
  end
end

-- Published diagnostics as the server sent them (LSP shape, with `code`), by URI.
local published = {}

local function has_code(diagnostics, code, line)
  for _, d in ipairs(diagnostics or {}) do
    if d.code == code and (line == nil or d.range.start.line == line) then return d end
  end
  return nil
end

local function codes_of(diagnostics)
  local out = {}
  for _, d in ipairs(diagnostics or {}) do
    table.insert(out, string.format('%s@%d', tostring(d.code), d.range and d.range.start.line or -1))
  end
  return table.concat(out, ', ')
end

local function hover_text(result)
  if not result or not result.contents then return '' end
  local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
  return table.concat(lines, '\n')
end

-- One request to the single client; returns result, error message.
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, REQUEST_TIMEOUT_MS)
  if not responses then return nil, 'no answer: ' .. tostring(err) end
  for _, response in pairs(responses) do
    if response.err or response.error then
      return nil, vim.inspect(response.err or response.error)
    end
    return response.result, nil
  end
  return nil, 'no client answered'
end

-- Asks for code actions on `line` (with that line's LSP diagnostics as context), applies the one
-- titled `title`, and returns true or false, detail.
local function apply_quick_fix(bufnr, line, title)
  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, line)
  local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1] or ''
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = #text } },
    context = { diagnostics = line_diagnostics, only = { 'quickfix' } },
  }
  local actions, err = request(bufnr, 'textDocument/codeAction', params)
  if not actions then return false, err or 'no code actions' end
  local titles = {}
  for _, action in ipairs(actions) do
    table.insert(titles, action.title)
    if action.title == title then
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
        return true
      end
      return false, 'the action has no edit: ' .. vim.inspect(action)
    end
  end
  return false, 'no action titled "' .. title .. '" among: ' .. table.concat(titles, ' | ')
end

local function main()
  local server = os.getenv('UWSGI_NGINX_SERVER')
  local workspace = os.getenv('UWSGI_NGINX_WORKSPACE')
  if not server or server == '' or not workspace or workspace == '' then
    check('environment (UWSGI_NGINX_SERVER, UWSGI_NGINX_WORKSPACE)', false, 'not set: run test/editors/neovim/run.sh')
    return
  end
  local v = vim.version()
  check(string.format('Neovim is 0.7 or newer (%d.%d.%d)', v.major, v.minor, v.patch), vim.fn.has('nvim-0.7') == 1)

  local ini_path = workspace .. '/uwsgi.ini'
  local nginx_path = workspace .. '/nginx/app.conf'

  -- the ini is the file on the command line; the nginx file is loaded next to it
  local ini = vim.fn.bufnr(ini_path)
  if ini < 1 then ini = vim.api.nvim_get_current_buf() end
  vim.bo[ini].filetype = 'dosini'
  local nginx = vim.fn.bufadd(nginx_path)
  vim.fn.bufload(nginx)
  vim.bo[nginx].buflisted = true
  vim.bo[nginx].filetype = 'nginx'

  local server_exit
  local client_id = vim.lsp.start_client({
    name = 'uwsgi-nginx',
    cmd = { 'node', server, '--stdio' },
    root_dir = workspace,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and result.uri then published[result.uri] = result.diagnostics end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
    on_exit = function(code, signal) server_exit = string.format('code %s, signal %s', tostring(code), tostring(signal)) end,
  })
  check('start_client', client_id ~= nil, 'vim.lsp.start_client returned nil')
  if not client_id then return end
  check('attach the uWSGI buffer', vim.lsp.buf_attach_client(ini, client_id))
  check('attach the nginx buffer', vim.lsp.buf_attach_client(nginx, client_id))

  local ini_uri, nginx_uri = vim.uri_from_bufnr(ini), vim.uri_from_bufnr(nginx)
  local started = vim.loop.hrtime()
  local arrived = vim.wait(WAIT_DIAGNOSTICS_MS, function()
    return server_exit ~= nil or (#vim.diagnostic.get(ini) > 0 and #vim.diagnostic.get(nginx) > 0)
  end, 50)
  local ms = math.floor((vim.loop.hrtime() - started) / 1e6)
  check(string.format('diagnostics arrive for both files (%d ms)', ms), arrived and not server_exit,
    server_exit and ('the server exited, ' .. server_exit) or ('none within ' .. WAIT_DIAGNOSTICS_MS .. ' ms'))
  if not arrived or server_exit then return end

  -- 1. diagnostics: the code as the server published it, and as Neovim gives it back
  check('published: uwsgi-unknown-option on line 2 of uwsgi.ini',
    has_code(published[ini_uri], 'uwsgi-unknown-option', 1) ~= nil, 'got ' .. codes_of(published[ini_uri]))
  check('published: nginx-unknown-directive on line 4 of app.conf',
    has_code(published[nginx_uri], 'nginx-unknown-directive', 3) ~= nil, 'got ' .. codes_of(published[nginx_uri]))
  local ini_line = vim.lsp.diagnostic.get_line_diagnostics(ini, 1)
  check('get_line_diagnostics(ini, 1) has code uwsgi-unknown-option',
    has_code(ini_line, 'uwsgi-unknown-option') ~= nil, 'got ' .. codes_of(ini_line))
  local nginx_line = vim.lsp.diagnostic.get_line_diagnostics(nginx, 3)
  check('get_line_diagnostics(nginx, 3) has code nginx-unknown-directive',
    has_code(nginx_line, 'nginx-unknown-directive') ~= nil, 'got ' .. codes_of(nginx_line))
  -- where vim.diagnostic keeps the LSP code (documented for users, not asserted)
  for _, d in ipairs(vim.diagnostic.get(ini, { lnum = 1 })) do
    info(string.format('vim.diagnostic.get item: code=%s user_data.lsp.code=%s source=%s',
      tostring(d.code), tostring(d.user_data and d.user_data.lsp and d.user_data.lsp.code), tostring(d.source)))
  end

  -- 2. hover on "master"
  local hover, hover_err = request(ini, 'textDocument/hover', {
    textDocument = { uri = ini_uri }, position = { line = 2, character = 2 },
  })
  local text = hover_text(hover)
  check('hover on "master" mentions master', text:find('master', 1, true) ~= nil,
    hover_err or ('hover was: ' .. vim.inspect(text:sub(1, 200))))

  -- 3. quick fix "Change to 'vacuum'", applied as a workspace edit
  local ok, detail = apply_quick_fix(ini, 1, "Change to 'vacuum'")
  check("code action \"Change to 'vacuum'\" found and applied", ok, detail)
  local line = vim.api.nvim_buf_get_lines(ini, 1, 2, false)[1]
  check('uwsgi.ini line 2 is now "vacuum = true"', line == 'vacuum = true', vim.inspect(line))
  -- the edit reaches the server through didChange: the finding goes away
  local cleared = vim.wait(WAIT_DIAGNOSTICS_MS, function()
    return published[ini_uri] ~= nil and has_code(published[ini_uri], 'uwsgi-unknown-option') == nil
  end, 50)
  check('after the fix the server no longer reports uwsgi-unknown-option', cleared,
    'still published: ' .. codes_of(published[ini_uri]))

  -- and the nginx quick fix
  ok, detail = apply_quick_fix(nginx, 3, "Change to 'uwsgi_pass'")
  check("code action \"Change to 'uwsgi_pass'\" found and applied", ok, detail)
  line = vim.api.nvim_buf_get_lines(nginx, 3, 4, false)[1]
  check('app.conf line 4 is now uwsgi_pass', line == '        uwsgi_pass unix:/run/a.sock;', vim.inspect(line))

  -- 4. completion: Neovim 0.7 does not resolve items, so each carries its documentation, which
  -- the popup shows as the item's info
  local list, completion_err = request(nginx, 'textDocument/completion', {
    textDocument = { uri = nginx_uri }, position = { line = 3, character = 8 },
  })
  local items = vim.lsp.util.text_document_completion_list_to_complete_items(list or {}, '')
  local shown
  for _, item in ipairs(items) do
    if item.word == 'uwsgi_pass' or item.abbr == 'uwsgi_pass' then shown = item end
  end
  check('completion in a location offers uwsgi_pass with its documentation as info',
    shown ~= nil and shown.info:find('ngx_http_uwsgi_module.html#uwsgi_pass', 1, true) ~= nil,
    completion_err or (shown and ('info was: ' .. vim.inspect(shown.info:sub(1, 200))) or (#items .. ' items, no uwsgi_pass')))
end

local ok, err = xpcall(main, debug.traceback)
if not ok then check('the test script ran without a Lua error', false, err) end
finish()
