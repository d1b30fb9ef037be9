// shows why the last sign-in was refused (the server redirects here with ?refused=<code>)
if (new URLSearchParams(location.search).has('refused')) {
  document.getElementById('refused').hidden = false;
}
